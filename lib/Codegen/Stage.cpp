//===- Stage.cpp - the `stage` opt: loads staged in local memory ----------===//
//
// stage(k, s) copies, in each iteration of the reduce range k, the tile of
// every global load inside k that the work-group reads into local memory,
// and makes the loads read it there. A tensor-core matmul reads each
// element of A once per warp along M and each element of B once per warp
// along N; staged, the work-group reads each from global memory once, in
// 16-byte copies along the rows of the tile.
//
// The tile. Inside k, the ranges of a load's address are global, k itself,
// the work-group's threads (local and warp ranges) or the lanes the thread
// computes (upcast and unroll ranges). The address is written as a sum of
// terms c * x (distributing constant products over sums): x is the outer
// part when it depends on no thread or lane range, an inner atom when it
// depends only on those (a range, or a floordiv or floormod of them), and
// anything else is an error. The inner atoms split by their coefficient
// into columns (c < t) and rows (c >= t): the tile is rows x W elements of
// row stride L, with W the columns' span (sum of c * max + 1), L the gcd of
// the rows' coefficients, L >= W, W as large as the columns can fill (their
// number of values is at least W), and W a multiple of one 16-byte vector.
// A matmul's A tile (row-major, k innermost) is block-N x block-K, its B
// tile block-K x block-M. Local memory holds it row-major. Rows of a
// power-of-two number V of 16-byte vectors rotate: vector v of row r lies
// at (v + (r / D) % min(V, 8)) % V, D = max(1, 8 / V), so that the eight
// rows a fragment read touches (and a row's copies) fall in different
// banks without padding; other rows are padded by one vector.
//
// The copy. The work-group's T threads (the product of the local and warp
// ranges, tid their position as gpudims numbers them, the warp's lanes
// innermost) copy the rows * W / V vectors of V elements: vector
// c = u * T + tid, u an `upcast` range of ceil(chunks / T) (the copies gated
// off past the end), row c / (W / V), vector (c % (W / V)) of the row.
// With one buffer (s = 1):
//
//   %v  = load(index(%a, <outer> + row * L + col)) : vec<T, V>
//   %b0 = barrier(%k)                   the previous iteration's reads done
//   %st = store(index(after(%buf, %b0), <row, vector>), %v)
//   %b1 = barrier(end(%st, %u))
//   %x  = load(index(after(%buf, %b1), <the load's row and column>))
//
// With s > 1 buffers (asynchronous copies, cp.async on NV), the tiles of
// iterations 0 .. s-2 are copied before the loop (a range p of s - 1, one
// group each), and iteration k waits for its own, syncs (so every thread's
// copies are visible, and every thread is done with buffer (k - 1) % s),
// starts the copies of iteration k + s - 1 into that buffer and reads
// buffer k % s:
//
//   %c0 = async_commit(async_copy(index(%buf, p * size + <at>),
//                                 index(%a, <outer, k = p> + ..., p < K)))
//   %w  = async_wait(%k, end(%c0, %p)) {pending = s - 2}
//   %b  = barrier(%w)
//   %c  = async_commit(async_copy(index(after(%buf, %b), (k + s - 1) % s *
//                                       size + <at>),
//                                 index(%a, <outer, k + s - 1>, k + s - 1 <
//                                 K)))
//   %x  = load(index(after(%buf, %c), k % s * size + <the load's element>))
//
// A tensor core's fragment gathered from a staged load (`contract(load, e)`)
// becomes one `load_matrix` of the warp (ldmatrix) where that gives every
// lane the same elements (getLoadMatrix).
//
//===----------------------------------------------------------------------===//

#include "Stage.h"

#include "BodyBuilder.h"
#include "tg/Codegen/RangeScope.h"
#include "tg/IR/Context.h"
#include "tg/IR/Walk.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <numeric>
#include <optional>

using namespace tg;

namespace {

/// One term c * X of an address.
struct Term {
  const UOp *X;
  int64_t Coefficient;
  int64_t Max = 0; ///< The largest value of X (inner atoms).
};

/// An address as a constant plus terms.
struct LinearForm {
  llvm::SmallVector<Term, 8> Terms;
  int64_t Constant = 0;

  void add(const UOp *X, int64_t C) {
    for (Term &T : Terms)
      if (T.X == X) {
        T.Coefficient += C;
        return;
      }
    Terms.push_back({X, C});
  }
};

/// The constant value of `U`, if it is an index constant.
std::optional<int64_t> getConstant(const UOp *U) {
  if (U->getOp() != Op::Const || !U->getDType().isScalar() ||
      !U->getArg()->isInt())
    return std::nullopt;
  return U->getArg()->getInt();
}

/// Adds Scale * U to `Form`, distributing constant products over sums.
void linearize(const UOp *U, int64_t Scale, LinearForm &Form) {
  if (std::optional<int64_t> C = getConstant(U)) {
    Form.Constant += Scale * *C;
    return;
  }
  if (U->getOp() == Op::Add) {
    linearize(U->getSrc(0), Scale, Form);
    linearize(U->getSrc(1), Scale, Form);
    return;
  }
  if (U->getOp() == Op::Mul) {
    if (std::optional<int64_t> C = getConstant(U->getSrc(1))) {
      linearize(U->getSrc(0), Scale * *C, Form);
      return;
    }
    if (std::optional<int64_t> C = getConstant(U->getSrc(0))) {
      linearize(U->getSrc(1), Scale * *C, Form);
      return;
    }
  }
  Form.add(U, Scale);
}

/// The bounds [lo, hi] of an inner atom: ranges of constant size and
/// constants combined by add, mul, floordiv and floormod (nonnegative).
std::optional<std::pair<int64_t, int64_t>> getBounds(const UOp *U) {
  if (std::optional<int64_t> C = getConstant(U))
    return std::make_pair(*C, *C);
  if (U->getOp() == Op::Range) {
    std::optional<int64_t> N = getConstant(U->getSrc(0));
    if (!N || *N < 1)
      return std::nullopt;
    return std::make_pair(int64_t(0), *N - 1);
  }
  if (U->getNumSrcs() != 2)
    return std::nullopt;
  auto A = getBounds(U->getSrc(0)), B = getBounds(U->getSrc(1));
  if (!A || !B || A->first < 0 || B->first < 0)
    return std::nullopt;
  switch (U->getOp()) {
  case Op::Add:
    return std::make_pair(A->first + B->first, A->second + B->second);
  case Op::Mul:
    return std::make_pair(A->first * B->first, A->second * B->second);
  case Op::FloorDiv:
    if (B->first != B->second || B->first < 1)
      return std::nullopt;
    return std::make_pair(A->first / B->first, A->second / B->first);
  case Op::FloorMod:
    if (B->first != B->second || B->first < 1)
      return std::nullopt;
    if (A->second < B->first)
      return A;
    return std::make_pair(int64_t(0), B->first - 1);
  default:
    return std::nullopt;
  }
}

/// A range's kind.
AxisKind getKind(const UOp *R) { return R->getArgField(1)->getAxisKind(); }
bool isThread(const UOp *R) {
  return getKind(R) == AxisKind::Local || getKind(R) == AxisKind::Warp;
}
bool isLane(const UOp *R) {
  return getKind(R) == AxisKind::Upcast || getKind(R) == AxisKind::Unroll;
}

/// How one load is staged.
struct StagedLoad {
  const UOp *Load;
  llvm::SmallVector<Term, 8> Outer, Rows, Columns;
  int64_t Constant, Width, RowStride, NumRows, Pitch;
  /// Rows of a power-of-two number of vectors are rotated instead of
  /// padded: vector c of row r lies at (c + (r / RotateDiv) % RotateMod) %
  /// (Width / V). 0: padded.
  int64_t RotateDiv, RotateMod;
};

} // namespace

/// The value of the index expression `U` with each range at its value in
/// `Values` (0 if absent), or nothing for another op.
static std::optional<int64_t>
evaluate(const UOp *U, const llvm::DenseMap<const UOp *, int64_t> &Values) {
  if (std::optional<int64_t> C = getConstant(U))
    return C;
  if (U->getOp() == Op::Range)
    return Values.lookup(U);
  if (U->getNumSrcs() != 2)
    return std::nullopt;
  std::optional<int64_t> A = evaluate(U->getSrc(0), Values);
  std::optional<int64_t> B = evaluate(U->getSrc(1), Values);
  if (!A || !B)
    return std::nullopt;
  switch (U->getOp()) {
  case Op::Add:
    return *A + *B;
  case Op::Mul:
    return *A * *B;
  case Op::FloorDiv:
  case Op::FloorMod: {
    if (*B <= 0)
      return std::nullopt;
    int64_t Q = *A / *B - (*A % *B < 0);
    return U->getOp() == Op::FloorDiv ? Q : *A - Q * *B;
  }
  default:
    return std::nullopt;
  }
}

/// `contract(load(Pointer), E)` of a tensor core's fragment, the load
/// staged in local memory, as one `load_matrix` of the warp, or null where
/// the elements the lanes read are not 8 x 8 matrices that ldmatrix gives
/// them: every lane's element e of the fragment must be element 2j + p of
/// matrix j as load_matrix (or its transpose) hands them out, the rows
/// addressed by the lanes that hold their first elements, 16-byte aligned
/// for every value of the other ranges. Checked by evaluating the address
/// for every lane and element.
static const UOp *getLoadMatrix(Context &Ctx, const UOp *Contract,
                                const UOp *Pointer) {
  DType T = Contract->getDType();
  const UOp *E = Contract->getSrc(1);
  std::optional<int64_t> Elements = getConstant(E->getSrc(0));
  if (!Elements || T.getScalarBits() != 16 || T.getCount() != *Elements ||
      (*Elements != 2 && *Elements != 4 && *Elements != 8))
    return nullptr;
  int64_t Matrices = *Elements / 2;
  const UOp *Address = Pointer->getSrc(1);
  llvm::SmallVector<const UOp *, 8> Ranges;
  for (const UOp *U : collectUOps(Address))
    if (U->getOp() == Op::Range)
      Ranges.push_back(U);
  const UOp *Lane = nullptr;
  for (const UOp *R : Ranges)
    if (R->getArgField(1)->getAxisKind() == AxisKind::Warp)
      Lane = R;
  if (!Lane || getConstant(Lane->getSrc(0)) != 32 ||
      !llvm::is_contained(Ranges, E))
    return nullptr;
  auto At = [&](int64_t L, int64_t Element) {
    return evaluate(Address, {{Lane, L}, {E, Element}});
  };
  // Rows 16-byte aligned whatever the other ranges are.
  for (const UOp *R : Ranges) {
    if (R == Lane || R == E)
      continue;
    std::optional<int64_t> Size = getConstant(R->getSrc(0));
    std::optional<int64_t> Base = At(0, 0);
    if (!Size || !Base)
      return nullptr;
    for (int64_t V : {int64_t(1), *Size - 1}) {
      std::optional<int64_t> X = evaluate(Address, {{R, V}});
      if (!X || (*X - *Base) % 8)
        return nullptr;
    }
  }
  DType Index = Ctx.getScalar(ScalarKind::Index);
  auto Constant = [&](int64_t V) { return Ctx.getConst(Index, V); };
  for (bool Transpose : {false, true}) {
    // The lane and element whose address starts row r of matrix j.
    auto RowLane = [&](int64_t R) { return Transpose ? R / 2 : 4 * R; };
    auto RowElement = [&](int64_t J, int64_t R) {
      return Transpose ? 2 * J + R % 2 : 2 * J;
    };
    bool Matches = true;
    for (int64_t L = 0; L != 32 && Matches; ++L)
      for (int64_t J = 0; J != Matrices && Matches; ++J)
        for (int64_t P = 0; P != 2 && Matches; ++P) {
          int64_t Row = Transpose ? 2 * (L % 4) + P : L / 4;
          int64_t Col = Transpose ? L / 4 : 2 * (L % 4) + P;
          std::optional<int64_t> Start = At(RowLane(Row), RowElement(J, Row));
          std::optional<int64_t> Got = At(L, 2 * J + P);
          Matches = Start && Got && *Start % 8 == 0 && *Got == *Start + Col;
        }
    if (!Matches)
      continue;
    // Lane x gives the start of row x % 8 of matrix x / 8 (lanes past the
    // matrices repeat the first ones).
    const UOp *X = Ctx.get(Op::FloorMod, Index, {Lane, Constant(8 * Matrices)});
    const UOp *R = Ctx.get(Op::FloorMod, Index, {X, Constant(8)});
    const UOp *J = Ctx.get(Op::FloorDiv, Index, {X, Constant(8)});
    const UOp *TwoJ = Ctx.get(Op::Mul, Index, {J, Constant(2)});
    llvm::DenseMap<const UOp *, const UOp *> Map, Memo;
    if (Transpose) {
      Map[Lane] = Ctx.get(Op::FloorDiv, Index, {R, Constant(2)});
      Map[E] = Ctx.get(Op::Add, Index,
                       {TwoJ, Ctx.get(Op::FloorMod, Index, {R, Constant(2)})});
    } else {
      Map[Lane] = Ctx.get(Op::Mul, Index, {R, Constant(4)});
      Map[E] = TwoJ;
    }
    const UOp *Row =
        Ctx.get(Op::Index, Pointer->getDType(),
                {Pointer->getSrc(0), substituteUOps(Ctx, Address, Map, Memo)});
    return Ctx.get(Op::LoadMatrix, T, {Row},
                   Ctx.getListArg({Ctx.getIntArg(Matrices),
                                   Ctx.getIntArg(Transpose ? 1 : 0)}));
  }
  return nullptr;
}

/// The sum of `Terms` (each coefficient divided by `Divisor`) plus
/// `Constant`, as UOps.
static const UOp *buildSum(Context &Ctx, llvm::ArrayRef<Term> Terms,
                           int64_t Divisor, int64_t Constant) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  const UOp *Sum = nullptr;
  for (const Term &T : Terms) {
    const UOp *V = T.X;
    if (T.Coefficient / Divisor != 1)
      V = Ctx.get(Op::Mul, Index,
                  {V, Ctx.getConst(Index, T.Coefficient / Divisor)});
    Sum = Sum ? Ctx.get(Op::Add, Index, {Sum, V}) : V;
  }
  if (Constant || !Sum) {
    const UOp *C = Ctx.getConst(Index, Constant);
    Sum = Sum ? Ctx.get(Op::Add, Index, {Sum, C}) : C;
  }
  return Sum;
}

LogicalResult
tg::stageLoads(Function &F, Context &Ctx, const ArchInfo &Arch, const UOp *R,
               int64_t Stages, int64_t &LocalBytes,
               llvm::function_ref<LogicalResult(const llvm::Twine &)> Error) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  DType Void = Ctx.getScalar(ScalarKind::Void);
  int64_t Axis = R->getArgField(0)->getInt();
  if (!Arch.hasLocals() || Arch.LocalMemory == 0)
    return Error(llvm::Twine("arch ") + Arch.Name +
                 " has no work-group threads with local memory");
  if (getKind(R) != AxisKind::Reduce)
    return Error("stage needs a reduce axis; axis " + llvm::Twine(Axis) +
                 " is " + getMnemonic(getKind(R)));
  if (Stages < 0)
    return Error("the number of stages must not be negative");
  if (Stages > 1 && !Arch.AsyncCopy)
    return Error(llvm::Twine(Stages) +
                 " stages need asynchronous copies into local memory, which "
                 "arch " +
                 Arch.Name +
                 " does not have; stage(k, 1) copies synchronously");

  // The work-group's threads, in the order `gpudims` numbers them: the
  // local ranges by axis, then the warp's lanes innermost, so that a warp's
  // lanes copy neighbouring vectors.
  llvm::SmallVector<const UOp *, 4> Threads;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Range && isThread(U))
      Threads.push_back(U);
  llvm::sort(Threads, [](const UOp *A, const UOp *B) {
    bool WarpA = getKind(A) == AxisKind::Warp;
    bool WarpB = getKind(B) == AxisKind::Warp;
    if (WarpA != WarpB)
      return WarpB;
    return A->getArgField(0)->getInt() < B->getArgField(0)->getInt();
  });
  int64_t NumThreads = 1;
  for (const UOp *T : Threads) {
    std::optional<int64_t> N = getConstant(T->getSrc(0));
    if (!N)
      return Error("the size of thread axis " +
                   llvm::Twine(T->getArgField(0)->getInt()) +
                   " is not a constant");
    NumThreads *= *N;
  }

  // The global loads inside R.
  RangeScope Scope;
  unsigned RNumber = Scope.getNumber(R);
  auto Depends = [&](const UOp *U, auto Pred) {
    llvm::SmallBitVector Open = Scope.getOpen(U);
    for (unsigned N : Open.set_bits())
      if (Pred(Scope.getRange(N)))
        return true;
    return false;
  };
  llvm::SmallVector<StagedLoad, 2> Loads;
  for (const UOp *U : F.getBody()) {
    if (U->getOp() != Op::Load || U->getNumSrcs() != 1 ||
        U->getSrc(0)->getOp() != Op::Index)
      continue;
    const UOp *Address = U->getSrc(0);
    const UOp *Buffer = Address->getSrc(0);
    if (Buffer->getOp() != Op::Define ||
        Buffer->getDType().getAddrSpace() != AddrSpace::Global)
      continue;
    llvm::SmallBitVector Open = Scope.getOpen(U);
    if (RNumber >= Open.size() || !Open.test(RNumber))
      continue;
    std::string Name = F.getName(U).str();
    std::string What = Name.empty() ? std::string("a load of a global buffer")
                                    : "load %" + Name;
    if (Address->getNumSrcs() != 2)
      return Error(What + " is gated or has several indices; stage copies "
                          "ungated loads with one index");
    if (!U->getDType().isScalar())
      return Error(What + " is a vector load; stage the scalar loads before "
                          "they are vectorized");
    // The ranges of its address must be global, R, threads or lanes.
    for (unsigned N : Open.set_bits()) {
      const UOp *Q = Scope.getRange(N);
      if (Q != R && getKind(Q) != AxisKind::Global && !isThread(Q) &&
          !isLane(Q))
        return Error(
            What + " depends on the " + getMnemonic(getKind(Q)) +
            " range of axis " + llvm::Twine(Q->getArgField(0)->getInt()) +
            ", which changes within an iteration of axis " + llvm::Twine(Axis));
    }
    LinearForm Form;
    linearize(Address->getSrc(1), 1, Form);
    StagedLoad S{U, {}, {}, {}, Form.Constant, 0, 0, 1, 0, 0, 0};
    llvm::SmallVector<Term, 8> Inner;
    for (Term &T : Form.Terms) {
      if (T.Coefficient == 0)
        continue;
      bool In =
          Depends(T.X, [](const UOp *Q) { return isThread(Q) || isLane(Q); });
      bool Out =
          Depends(T.X, [](const UOp *Q) { return !isThread(Q) && !isLane(Q); });
      if (In && Out)
        return Error(What + ": a term of its address depends both on the "
                            "work-group's threads or lanes and on the "
                            "ranges outside them");
      if (!In) {
        S.Outer.push_back(T);
        continue;
      }
      auto B = getBounds(T.X);
      if (!B || B->first != 0 || T.Coefficient < 0)
        return Error(What + ": its address is not a sum of nonnegative "
                            "multiples of ranges of the work-group (or of "
                            "their quotients and remainders)");
      T.Max = B->second;
      if (T.Max > 0)
        Inner.push_back(T);
    }
    // The widest columns the inner terms fill, and the rows above them.
    DType Element = U->getDType();
    int64_t ElementBytes = std::max<int64_t>(1, Element.getScalarBits() / 8);
    int64_t Vector = std::max<int64_t>(1, 16 / ElementBytes);
    llvm::sort(Inner, [](const Term &A, const Term &B) {
      return A.Coefficient < B.Coefficient;
    });
    for (size_t Split = 0; Split <= Inner.size(); ++Split) {
      if (Split && Split < Inner.size() &&
          Inner[Split].Coefficient == Inner[Split - 1].Coefficient)
        continue;
      int64_t Span = 1, Values = 1, Stride = 0;
      for (size_t I = 0; I != Split; ++I) {
        Span += Inner[I].Coefficient * Inner[I].Max;
        Values = std::min<int64_t>(Values * (Inner[I].Max + 1), 1 << 30);
      }
      for (size_t I = Split; I != Inner.size(); ++I)
        Stride = std::gcd(Stride, Inner[I].Coefficient);
      if (Span % Vector || Span > Values ||
          (Split != Inner.size() && (Stride < Span || Stride % Vector)))
        continue;
      if (Span > S.Width) {
        S.Width = Span;
        S.RowStride = Stride;
        S.Columns.assign(Inner.begin(), Inner.begin() + Split);
        S.Rows.assign(Inner.begin() + Split, Inner.end());
      }
    }
    if (!S.Width)
      return Error(What + ": the work-group's tile has no row of a multiple "
                          "of 16 bytes that its threads and lanes fill");
    for (const Term &T : S.Rows)
      S.NumRows += T.Coefficient / S.RowStride * T.Max;
    // 16-byte copies need 16-byte aligned rows.
    bool Aligned = S.Constant % Vector == 0;
    for (const Term &T : S.Outer)
      Aligned &= T.Coefficient % Vector == 0;
    if (!Aligned)
      return Error(What + ": the tile's rows do not start at multiples of " +
                   llvm::Twine(Vector) + " elements (16 bytes)");
    // Eight vectors (128 bytes) span the banks once: the rows a line holds
    // (or each row) rotate by one more vector than those above them, so
    // that eight rows in a column fall in different banks; rows whose
    // vectors are not a power of two are padded by a vector instead.
    int64_t PerRow = S.Width / Vector;
    S.Pitch = S.Width;
    if (S.NumRows > 1 && llvm::isPowerOf2_64(PerRow)) {
      S.RotateDiv = std::max<int64_t>(1, 8 / PerRow);
      S.RotateMod = std::min<int64_t>(PerRow, 8);
    } else if (S.NumRows > 1) {
      S.Pitch += Vector;
    }
    LocalBytes +=
        std::max<int64_t>(Stages, 1) * S.NumRows * S.Pitch * ElementBytes;
    Loads.push_back(std::move(S));
  }
  if (Loads.empty())
    return Error("no load of a global buffer inside axis " + llvm::Twine(Axis));
  if (LocalBytes > Arch.LocalMemory)
    return Error("the staged tiles need " + llvm::Twine(LocalBytes) +
                 " bytes of local memory; " + Arch.Name + " has " +
                 llvm::Twine(Arch.LocalMemory));

  // The thread's row-major position in the work-group.
  const UOp *Tid = Ctx.getConst(Index, int64_t(0));
  for (const UOp *T : Threads)
    Tid = Ctx.get(Op::Add, Index,
                  {Ctx.get(Op::Mul, Index, {Tid, T->getSrc(0)}), T});
  int64_t NextAxis = 0;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Range)
      NextAxis = std::max(NextAxis, U->getArgField(0)->getInt() + 1);
  int64_t Id = 0;
  for (const UOp *U : F.Params)
    if (U->getOp() == Op::Define)
      Id = std::max(Id, U->getArgField(0)->getInt() + 1);
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Define)
      Id = std::max(Id, U->getArgField(0)->getInt() + 1);
  auto Constant = [&](int64_t V) { return Ctx.getConst(Index, V); };
  auto And = [&](const UOp *A, const UOp *B) {
    return !A ? B : !B ? A : Ctx.get(Op::And, Bool, {A, B});
  };

  // The element of a tile at row `Row`, vector `Vector` of the row and
  // element `Within` of the vector (null: 0).
  auto TileOffset = [&](const StagedLoad &S, const UOp *Row, const UOp *Vector,
                        const UOp *Within) {
    int64_t Lanes = 16 / std::max(1u, S.Load->getDType().getScalarBits() / 8);
    if (S.RotateMod) {
      const UOp *By = Row;
      if (S.RotateDiv > 1)
        By = Ctx.get(Op::FloorDiv, Index, {By, Constant(S.RotateDiv)});
      By = Ctx.get(Op::FloorMod, Index, {By, Constant(S.RotateMod)});
      Vector = Ctx.get(
          Op::FloorMod, Index,
          {Ctx.get(Op::Add, Index, {Vector, By}), Constant(S.Width / Lanes)});
    }
    const UOp *At =
        Ctx.get(Op::Add, Index,
                {Ctx.get(Op::Mul, Index, {Row, Constant(S.Pitch)}),
                 Ctx.get(Op::Mul, Index, {Vector, Constant(Lanes)})});
    return Within ? Ctx.get(Op::Add, Index, {At, Within}) : At;
  };

  // The buffers, and what each thread copies of each tile.
  int64_t NumBuffers = std::max<int64_t>(Stages, 1);
  struct Copy {
    const UOp *Buffer; ///< Of NumBuffers tiles.
    const UOp *Lane;   ///< The thread's copies (an upcast range), or null.
    const UOp *Gate;   ///< The copy exists (past the tile's end: not).
    const UOp *Global; ///< Its element, less the outer part.
    const UOp *Local;  ///< Its element in the tile.
    const UOp *Outer;  ///< The outer part of the address.
    int64_t Lanes, TileSize;
  };
  llvm::SmallVector<Copy, 2> Copies;
  for (const StagedLoad &S : Loads) {
    DType Element = S.Load->getDType();
    int64_t Vector =
        std::max<int64_t>(1, 16 / std::max(1u, Element.getScalarBits() / 8));
    int64_t PerRow = S.Width / Vector, Chunks = S.NumRows * PerRow;
    int64_t PerThread = (Chunks + NumThreads - 1) / NumThreads;
    Copy C{};
    C.Lanes = Vector;
    C.TileSize = S.NumRows * S.Pitch;
    const UOp *Chunk = Tid;
    if (PerThread > 1) {
      C.Lane = Ctx.get(Op::Range, Index, {Constant(PerThread)},
                       Ctx.getListArg({Ctx.getIntArg(NextAxis++),
                                       Ctx.getAxisKindArg(AxisKind::Upcast)}));
      Chunk = Ctx.get(
          Op::Add, Index,
          {Ctx.get(Op::Mul, Index, {C.Lane, Constant(NumThreads)}), Tid});
    }
    if (PerThread * NumThreads != Chunks)
      C.Gate = Ctx.get(Op::CmpLT, Bool, {Chunk, Constant(Chunks)});
    const UOp *Row = Ctx.get(Op::FloorDiv, Index, {Chunk, Constant(PerRow)});
    const UOp *Col =
        Ctx.get(Op::Mul, Index,
                {Ctx.get(Op::FloorMod, Index, {Chunk, Constant(PerRow)}),
                 Constant(Vector)});
    C.Global =
        Ctx.get(Op::Add, Index,
                {Ctx.get(Op::Mul, Index, {Row, Constant(S.RowStride)}), Col});
    C.Local = TileOffset(
        S, Row, Ctx.get(Op::FloorMod, Index, {Chunk, Constant(PerRow)}),
        nullptr);
    C.Outer = buildSum(Ctx, S.Outer, 1, S.Constant);
    C.Buffer = Ctx.get(
        Op::Define,
        Ctx.getPointer(Element, AddrSpace::Local, NumBuffers * C.TileSize), {},
        Ctx.getIntArg(Id++));
    Copies.push_back(C);
  }
  auto LocalPointer = [&](const Copy &C, const UOp *Buffer, const UOp *Slot,
                          const UOp *At, const UOp *Gate) {
    DType Address =
        Ctx.getPointer(C.Buffer->getDType().getElement(), AddrSpace::Local);
    if (Slot)
      At = Ctx.get(Op::Add, Index,
                   {Ctx.get(Op::Mul, Index, {Slot, Constant(C.TileSize)}), At});
    llvm::SmallVector<const UOp *, 3> Srcs{Buffer, At};
    if (Gate)
      Srcs.push_back(Gate);
    return Ctx.get(Op::Index, Address, Srcs);
  };
  // The global pointer of copy `C` at iteration `K` of R, gated by `Gate`.
  auto GlobalPointer = [&](const Copy &C, const StagedLoad &S, const UOp *K,
                           const UOp *Gate) {
    llvm::DenseMap<const UOp *, const UOp *> Map{{R, K}}, Memo;
    const UOp *At = Ctx.get(
        Op::Add, Index, {substituteUOps(Ctx, C.Outer, Map, Memo), C.Global});
    const UOp *Source = S.Load->getSrc(0);
    llvm::SmallVector<const UOp *, 3> Srcs{Source->getSrc(0), At};
    if (Gate)
      Srcs.push_back(Gate);
    return Ctx.get(Op::Index, Source->getDType(), Srcs, Source->getArg());
  };
  // The end of an effect over the copy's lane range.
  auto EndLane = [&](const Copy &C, const UOp *Effect) {
    return C.Lane ? Ctx.get(Op::End, Void, {Effect, C.Lane}) : Effect;
  };

  // What the loads read: `Ready[i]` is buffer i once its tile is there, in
  // tile `Slot` (null: the only one).
  llvm::SmallVector<const UOp *, 2> Ready, First;
  const UOp *Slot = nullptr;
  if (Stages <= 1) {
    // Synchronous: global vectors, a barrier after the previous iteration's
    // reads, the stores, a barrier.
    const UOp *Before = Ctx.get(Op::Barrier, Void, {R});
    llvm::SmallVector<const UOp *, 2> Ends;
    for (size_t I = 0; I != Loads.size(); ++I) {
      const Copy &C = Copies[I];
      const UOp *Value =
          Ctx.get(Op::Load, Ctx.getVector(Loads[I].Load->getDType(), C.Lanes),
                  {GlobalPointer(C, Loads[I], R, C.Gate)});
      First.push_back(Value);
      const UOp *Store = Ctx.get(
          Op::Store, Void,
          {LocalPointer(
               C, Ctx.get(Op::After, C.Buffer->getDType(), {C.Buffer, Before}),
               nullptr, C.Local, C.Gate),
           Value});
      Ends.push_back(EndLane(C, Store));
    }
    const UOp *After = Ctx.get(Op::Barrier, Void, Ends);
    for (const Copy &C : Copies)
      Ready.push_back(
          Ctx.get(Op::After, C.Buffer->getDType(), {C.Buffer, After}));
  } else {
    // Asynchronous, `Stages` tiles: the first Stages - 1 iterations' tiles
    // are copied before the loop, each a group; iteration k waits for its
    // tile (at most Stages - 2 groups pending), a barrier makes every
    // thread's copies visible and frees the tile iteration k - 1 read,
    // which the copies of iteration k + Stages - 1 then fill (gated off
    // past the end, a group every iteration all the same).
    std::optional<int64_t> Steps = getConstant(R->getSrc(0));
    if (!Steps)
      return Error("the size of axis " + llvm::Twine(Axis) +
                   " is not a constant");
    const UOp *Prologue =
        Ctx.get(Op::Range, Index, {Constant(Stages - 1)},
                Ctx.getListArg({Ctx.getIntArg(NextAxis++),
                                Ctx.getAxisKindArg(AxisKind::Upcast)}));
    auto CopyTiles = [&](const UOp *K, const UOp *TileSlot,
                         llvm::ArrayRef<const UOp *> Buffers) {
      const UOp *InRange = Ctx.get(Op::CmpLT, Bool, {K, Constant(*Steps)});
      llvm::SmallVector<const UOp *, 2> Ends;
      for (size_t I = 0; I != Loads.size(); ++I) {
        const Copy &C = Copies[I];
        const UOp *Start =
            Ctx.get(Op::AsyncCopy, Void,
                    {LocalPointer(C, Buffers[I], TileSlot, C.Local, C.Gate),
                     GlobalPointer(C, Loads[I], K, And(InRange, C.Gate))},
                    Ctx.getIntArg(C.Lanes));
        Ends.push_back(EndLane(C, Start));
      }
      return Ctx.get(Op::AsyncCommit, Void, Ends);
    };
    llvm::SmallVector<const UOp *, 2> Plain, AfterBarrier;
    for (const Copy &C : Copies)
      Plain.push_back(C.Buffer);
    const UOp *Primed = Ctx.get(
        Op::End, Void, {CopyTiles(Prologue, Prologue, Plain), Prologue});
    const UOp *Wait =
        Ctx.get(Op::AsyncWait, Void, {R, Primed}, Ctx.getIntArg(Stages - 2));
    const UOp *Barrier = Ctx.get(Op::Barrier, Void, {Wait});
    for (const Copy &C : Copies)
      AfterBarrier.push_back(
          Ctx.get(Op::After, C.Buffer->getDType(), {C.Buffer, Barrier}));
    const UOp *Next = Ctx.get(Op::Add, Index, {R, Constant(Stages - 1)});
    const UOp *Committed =
        CopyTiles(Next, Ctx.get(Op::FloorMod, Index, {Next, Constant(Stages)}),
                  AfterBarrier);
    for (const Copy &C : Copies)
      Ready.push_back(
          Ctx.get(Op::After, C.Buffer->getDType(), {C.Buffer, Committed}));
    Slot = Ctx.get(Op::FloorMod, Index, {R, Constant(Stages)});
  }

  // The loads read the tile: a tensor core's fragment through load_matrix
  // where it can, else element by element.
  auto LocalLoad = [&](const StagedLoad &S) {
    size_t I = &S - Loads.begin();
    int64_t Lanes = Copies[I].Lanes;
    const UOp *Column = buildSum(Ctx, S.Columns, 1, 0);
    const UOp *Local =
        TileOffset(S, buildSum(Ctx, S.Rows, S.RowStride, 0),
                   Ctx.get(Op::FloorDiv, Index, {Column, Constant(Lanes)}),
                   Ctx.get(Op::FloorMod, Index, {Column, Constant(Lanes)}));
    return LocalPointer(Copies[I], Ready[I], Slot, Local, nullptr);
  };
  BodyBuilder Body(F, Ctx);
  for (const UOp *Old : F.getBody()) {
    const StagedLoad *S = llvm::find_if(
        Loads, [&](const StagedLoad &L) { return L.Load == Old; });
    if (Old->getOp() == Op::Contract) {
      const StagedLoad *Of = llvm::find_if(
          Loads, [&](const StagedLoad &L) { return L.Load == Old->getSrc(0); });
      if (Of != Loads.end())
        if (const UOp *Matrix = getLoadMatrix(Ctx, Old, LocalLoad(*Of))) {
          Body.replace(Old, Body.addWithSources(Matrix));
          continue;
        }
    }
    if (S == Loads.end()) {
      Body.rebuild(Old);
      continue;
    }
    // The global loads of a synchronous copy first: all in flight before
    // the barrier.
    for (const UOp *U : First)
      Body.addWithSources(U);
    First.clear();
    const UOp *New = Body.addWithSources(
        Ctx.get(Op::Load, Old->getDType(), {LocalLoad(*S)}));
    Body.replace(Old, New);
  }
  Body.finish();
  return success();
}
