//===- Interpreter.cpp - the reference interpreter of linear programs -----===//
//
// A kernel's body, once linearized, is a list of instructions: `range` and
// `end` bracket loops, `if` and `endif` bracket gated stores, everything else
// computes one value. A Program resolves that structure once (where each
// loop and if ends, which slot holds each operand); a Thread then walks it
// with its own program counter, values and registers.
//
// A `wmma` is the one instruction threads run together: each thread stops
// at it, and once all have, each warp (32 consecutive threads) multiplies
// the matrices its threads' fragments make up (include/tg/IR/WMMA.h), as
// the tensor core does: products exact, summed in the accumulator's type in
// the order of k after C.
//
//===----------------------------------------------------------------------===//

#include "tg/Interp/Interpreter.h"

#include "tg/IR/Arg.h"
#include "tg/IR/WMMA.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <cassert>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>

using namespace tg;

//===----------------------------------------------------------------------===//
// Host memory
//===----------------------------------------------------------------------===//

/// Bytes of one lane of `K` in memory.
static unsigned getLaneSize(ScalarKind K) {
  unsigned Bits = getScalarInfo(K).Bits;
  if (K == ScalarKind::Index)
    return 8;
  return Bits <= 8 ? 1 : Bits / 8;
}

/// The unsigned integer type as wide as the float type `K`, through which a
/// float's bits are read and written (with evalAlu's bitcast).
static ScalarKind getBitsType(ScalarKind K) {
  switch (getScalarInfo(K).Bits) {
  case 8:
    return ScalarKind::U8;
  case 16:
    return ScalarKind::U16;
  case 32:
    return ScalarKind::U32;
  default:
    return ScalarKind::U64;
  }
}

HostBuffer::HostBuffer(DType Element, int64_t Count)
    : Element(Element), Count(Count),
      Bytes(size_t(Count) * getElementSize(Element)) {}

unsigned HostBuffer::getElementSize(DType Element) {
  return getLaneSize(Element.getScalarKind()) * Element.getCount();
}

ConstValue HostBuffer::get(int64_t I, unsigned Lane) const {
  ScalarKind K = Element.getScalarKind();
  unsigned Size = getLaneSize(K);
  uint64_t Raw = 0;
  std::memcpy(&Raw, &Bytes[size_t(I) * getElementSize(Element) + Lane * Size],
              Size);
  DType Scalar = Element.getScalarType();
  if (Scalar.isFloat()) {
    ScalarKind Bits = getBitsType(K);
    std::optional<ConstValue> V =
        evalAlu(Op::Bitcast, K, Bits, {ConstValue::getInt(int64_t(Raw))});
    // A signaling nan has no constant; memory holds its quiet twin.
    return V ? *V
             : *evalAlu(Op::Bitcast, K, Bits,
                        {ConstValue::getInt(int64_t(Raw | (Raw >> 1)))});
  }
  if (Scalar.isBool())
    return ConstValue::getBool(Raw != 0);
  if (Scalar.isSigned() && Size < 8) { // Sign-extend.
    unsigned Shift = 64 - 8 * Size;
    return ConstValue::getInt(int64_t(Raw << Shift) >> Shift);
  }
  return ConstValue::getInt(int64_t(Raw));
}

void HostBuffer::set(int64_t I, ConstValue Value, unsigned Lane) {
  ScalarKind K = Element.getScalarKind();
  unsigned Size = getLaneSize(K);
  uint64_t Raw;
  if (Value.isFloat()) {
    std::optional<ConstValue> Bits =
        evalAlu(Op::Bitcast, getBitsType(K), K, {Value});
    assert(Bits && "every float constant has bits");
    Raw = uint64_t(Bits->getInt());
  } else {
    Raw = uint64_t(Value.getInt());
  }
  std::memcpy(&Bytes[size_t(I) * getElementSize(Element) + Lane * Size], &Raw,
              Size);
}

//===----------------------------------------------------------------------===//
// The program
//===----------------------------------------------------------------------===//

namespace {

/// A value of one instruction: lanes of a number, or a pointer.
struct Value {
  llvm::SmallVector<ConstValue, 4> Lanes;
  HostBuffer *Memory = nullptr; ///< Pointers: the buffer (null: none).
  int64_t Offset = 0;           ///< Pointers: the element.
  bool Gate = true;             ///< Pointers: false if the access is off.
  /// Images: the texel is outside the image (reads give zero).
  bool Outside = false;
};

/// A kernel's body with its structure resolved.
struct Program {
  const Function *F = nullptr;
  std::vector<const UOp *> Code;
  llvm::DenseMap<const UOp *, unsigned> Slot; ///< Parameters first.
  /// For a `range`, the position of its `end`; for an `end`, of its
  /// `range`; for an `if`, of its `endif`.
  std::vector<unsigned> Partner;
  /// By position: the slots of the instruction's operands, so that a step
  /// reads them without a map lookup.
  std::vector<llvm::SmallVector<unsigned, 3>> SrcSlots;
};

/// Why a thread stopped running. At a `wmma` it stops before the
/// instruction, which runs once every thread of its warp is there.
enum class Stop { Done, Barrier, WMMA, Error };

class Interpreter;

/// An `async_copy` started and not done: what it read, and where it
/// writes once an `async_wait` completes its group.
struct PendingCopy {
  HostBuffer *Memory;
  int64_t Offset;
  std::vector<ConstValue> Lanes;
};

/// One thread: a program counter, a value per slot, registers.
struct Thread {
  unsigned PC = 0;
  std::vector<Value> Values;
  llvm::DenseMap<const UOp *, std::unique_ptr<HostBuffer>> Registers;
  int64_t GroupIds[3] = {0, 0, 0}, LocalIds[3] = {0, 0, 0};
  /// Asynchronous copies: those since the last `async_commit`, and the
  /// committed groups not done yet, oldest first. A copy lands in local
  /// memory only when an `async_wait` completes its group, so a kernel
  /// that reads before waiting reads what was there before.
  std::vector<PendingCopy> OpenCopies;
  std::deque<std::vector<PendingCopy>> CopyGroups;
};

class Interpreter {
public:
  Interpreter(const Function &F, KernelArguments &Args, DiagnosticEngine &Diag)
      : Args(Args), Diag(Diag) {
    P.F = &F;
  }

  LogicalResult run();

private:
  LogicalResult load();
  LogicalResult evalLaunchSizes();
  Stop step(Thread &T);
  Stop runUntilStop(Thread &T);
  LogicalResult runGroup(const int64_t GroupIds[3]);
  LogicalResult runWMMA(llvm::MutableArrayRef<Thread> Warp);
  LogicalResult runLoadMatrix(llvm::MutableArrayRef<Thread> Warp);

  LogicalResult error(const UOp *U, const llvm::Twine &Message) {
    return Diag.error(P.F->getLocOrDefault(U), "interpreter: '" +
                                                   getMnemonic(U->getOp()) +
                                                   "': " + Message);
  }
  Stop fail(const UOp *U, const llvm::Twine &Message) {
    (void)error(U, Message);
    return Stop::Error;
  }
  Value &get(Thread &T, const UOp *U) { return T.Values[P.Slot.lookup(U)]; }
  Stop access(const UOp *U, const Value &Pointer, unsigned Lanes);

  KernelArguments &Args;
  DiagnosticEngine &Diag;
  Program P;
  /// Launch sizes from the `special`s (1 where none).
  int64_t NumGroups[3] = {1, 1, 1}, GroupSize[3] = {1, 1, 1};
  /// Local buffers of the running work-group.
  llvm::DenseMap<const UOp *, std::unique_ptr<HostBuffer>> Locals;
  std::vector<Value> Initial; ///< Parameter values.
};

} // namespace

/// The launch dimension and whether it is a group (`gidx`) or a thread in
/// the group (`lidx`) of a `special` name; `idx` is a global index, which the
/// interpreter runs as groups of one thread.
static std::optional<std::pair<unsigned, bool>>
parseSpecial(llvm::StringRef Name) {
  bool IsLocal = Name.consume_front("lidx");
  if (!IsLocal && !Name.consume_front("gidx") && !Name.consume_front("idx"))
    return std::nullopt;
  unsigned Dim;
  if (Name.getAsInteger(10, Dim) || Dim > 2)
    return std::nullopt;
  return std::make_pair(Dim, IsLocal);
}

LogicalResult Interpreter::load() {
  const Function &F = *P.F;
  if (!F.isKernel())
    return Diag.error(F.getLoc(),
                      "interpreter: @" + F.getName() + " is not a kernel");
  for (const UOp *Param : F.Params) {
    P.Slot[Param] = Initial.size();
    Value V;
    if (Param->getOp() == Op::Define) {
      int64_t Id = Param->getArgField(0)->getInt();
      if (Id >= int64_t(Args.Buffers.size()) || !Args.Buffers[Id])
        return error(Param, "no buffer given for parameter " + llvm::Twine(Id));
      HostBuffer *B = Args.Buffers[Id];
      DType Want = Param->getDType().getElement();
      int64_t Size = Param->getDType().getSize();
      if (B->Element != Want || (Size >= 0 && B->Count < Size))
        return error(Param, "buffer " + llvm::Twine(Id) + " holds " +
                                llvm::Twine(B->Count) + " x " +
                                B->Element.str() + ", the parameter is " +
                                Param->getDType().str());
      V.Memory = B;
    } else {
      llvm::StringRef Name = Param->getArgField(0)->getString();
      auto It = Args.Variables.find(Name);
      if (It == Args.Variables.end())
        return error(Param, "no value given for variable '" + Name + "'");
      int64_t Min = Param->getArgField(1)->getInt();
      int64_t Max = Param->getArgField(2)->getInt();
      if (It->second < Min || It->second > Max)
        return error(Param, "variable '" + Name +
                                "' = " + llvm::Twine(It->second) +
                                " is outside [" + llvm::Twine(Min) + ", " +
                                llvm::Twine(Max) + "]");
      V.Lanes.push_back(ConstValue::getInt(It->second));
    }
    Initial.push_back(std::move(V));
  }

  // Match each range with its end and each if with its endif.
  P.Code = F.getBody();
  P.Partner.assign(P.Code.size(), ~0u);
  llvm::SmallVector<unsigned, 8> Open; // Positions of open ranges and ifs.
  for (unsigned I = 0, E = P.Code.size(); I != E; ++I) {
    const UOp *U = P.Code[I];
    P.Slot[U] = Initial.size() + I;
    if (U->getOp() == Op::Range || U->getOp() == Op::If) {
      Open.push_back(I);
      continue;
    }
    if (U->getOp() != Op::End && U->getOp() != Op::EndIf)
      continue;
    const UOp *Opener = U->getOp() == Op::End ? U->getSrc(1) : U->getSrc(0);
    if (U->getNumSrcs() != 2 && U->getOp() == Op::End)
      return error(U, "closes several ranges; run linearize first");
    if (Open.empty() || P.Code[Open.back()] != Opener)
      return error(U, "does not close the innermost open " +
                          llvm::Twine(U->getOp() == Op::End ? "range" : "if") +
                          "; run linearize first");
    P.Partner[Open.back()] = I;
    P.Partner[I] = Open.back();
    Open.pop_back();
  }
  if (!Open.empty())
    return error(P.Code[Open.back()], "is never closed; run linearize first");
  for (const UOp *U : P.Code) {
    llvm::SmallVector<unsigned, 3> &Slots = P.SrcSlots.emplace_back();
    for (const UOp *Src : U->getSrcs()) {
      auto It = P.Slot.find(Src);
      if (It == P.Slot.end())
        return error(U, "an operand is neither a parameter nor in the body");
      Slots.push_back(It->second);
    }
  }
  for (const UOp *U : P.Code)
    if (U->getOp() == Op::Reduce)
      return error(U, "must be turned into a loop (run remove-reduce and "
                      "linearize first)");
  return evalLaunchSizes();
}

/// The launch sizes are the bounds of the `special`s; the bounds must not
/// depend on what a thread computes (a constant, a variable, arithmetic).
LogicalResult Interpreter::evalLaunchSizes() {
  auto Variable = [&](const UOp *U) -> std::optional<ConstValue> {
    if (U->getOp() != Op::DefineVar)
      return std::nullopt;
    return Initial[P.Slot.lookup(U)].Lanes[0];
  };
  bool Seen[2][3] = {};
  for (const UOp *U : P.Code) {
    if (U->getOp() != Op::Special)
      continue;
    llvm::StringRef Name = U->getArgField(0)->getString();
    std::optional<std::pair<unsigned, bool>> Dim = parseSpecial(Name);
    if (!Dim)
      return error(U, "unknown launch index '" + Name +
                          "' (expected gidx0..2, lidx0..2 or idx0..2)");
    std::optional<ConstValue> Size = evalScalar(U->getSrc(0), Variable);
    if (!Size)
      return error(U, "the size of '" + Name +
                          "' must not depend on values a thread computes");
    if (Size->getInt() < 1)
      return error(U, "the size of '" + Name + "' is " +
                          llvm::Twine(Size->getInt()));
    auto [D, IsLocal] = *Dim;
    if (Seen[IsLocal][D])
      return error(U, "launch index '" + Name + "' appears twice");
    Seen[IsLocal][D] = true;
    (IsLocal ? GroupSize : NumGroups)[D] = Size->getInt();
  }
  return success();
}

/// Checks that `Lanes` elements from `Pointer` lie in its buffer.
Stop Interpreter::access(const UOp *U, const Value &Pointer, unsigned Lanes) {
  if (!Pointer.Memory)
    return fail(U, "the address is not a buffer");
  if (Pointer.Offset < 0 || Pointer.Offset + Lanes > Pointer.Memory->Count)
    return fail(U, "index " + llvm::Twine(Pointer.Offset) +
                       (Lanes > 1 ? " (" + llvm::Twine(Lanes) + " elements)"
                                  : llvm::Twine()) +
                       " is out of bounds of a buffer of " +
                       llvm::Twine(Pointer.Memory->Count) + " elements");
  return Stop::Done;
}

Stop Interpreter::step(Thread &T) {
  const UOp *U = P.Code[T.PC];
  llvm::ArrayRef<unsigned> Slots = P.SrcSlots[T.PC];
  auto Src = [&](unsigned I) -> Value & { return T.Values[Slots[I]]; };
  Value &Out = T.Values[Initial.size() + T.PC];
  unsigned Next = T.PC + 1;
  DType Type = U->getDType();
  switch (U->getOp()) {
  case Op::Const: // A vector constant has the value in every lane.
    Out.Lanes.assign(Type.getCount(), ConstValue::fromArg(*U->getArg()));
    break;
  case Op::VConst:
    Out.Lanes.clear();
    for (const Arg *A : U->getArg()->getElements())
      Out.Lanes.push_back(ConstValue::fromArg(*A));
    break;
  case Op::Define: {
    AddrSpace Space = Type.getAddrSpace();
    if (Space == AddrSpace::Global)
      return fail(U, "a global buffer must be a kernel parameter");
    std::unique_ptr<HostBuffer> &Memory =
        Space == AddrSpace::Local ? Locals[U] : T.Registers[U];
    if (!Memory)
      Memory = std::make_unique<HostBuffer>(Type.getElement(), Type.getSize());
    Out.Memory = Memory.get();
    Out.Offset = 0;
    break;
  }
  case Op::Special: {
    auto [D, IsLocal] = *parseSpecial(U->getArgField(0)->getString());
    int64_t Id = IsLocal ? T.LocalIds[D] : T.GroupIds[D];
    Out.Lanes = {ConstValue::getInt(Id)};
    break;
  }
  case Op::Range: {
    Out.Lanes = {ConstValue::getInt(0)};
    if (Src(0).Lanes[0].getInt() <= 0)
      Next = P.Partner[T.PC] + 1; // An empty loop.
    break;
  }
  case Op::End: {
    unsigned Start = P.Partner[T.PC];
    Value &Counter = T.Values[Initial.size() + Start];
    int64_t I = Counter.Lanes[0].getInt() + 1;
    if (I < T.Values[P.SrcSlots[Start][0]].Lanes[0].getInt()) {
      Counter.Lanes[0] = ConstValue::getInt(I);
      Next = Start + 1;
    }
    break;
  }
  case Op::If:
    if (Src(0).Lanes[0].getInt() == 0)
      Next = P.Partner[T.PC] + 1;
    break;
  case Op::EndIf:
  case Op::Sink:
  case Op::Group:
  case Op::Noop:
    if (U->getOp() == Op::Noop)
      Out = Src(0);
    break;
  case Op::After:
    Out = Src(0);
    break;
  case Op::Barrier:
    T.PC = Next;
    return Stop::Barrier;
  case Op::AsyncCopy: {
    // The source is read now (global memory the kernel does not write);
    // local memory is written at the async_wait that completes the group.
    const Value &To = get(T, U->getSrc(0));
    const Value &From = get(T, U->getSrc(1));
    unsigned Lanes = U->getArgField(0)->getInt();
    if (!To.Gate) // No copy.
      break;
    if (access(U, To, Lanes) == Stop::Error)
      return Stop::Error;
    PendingCopy Copy{To.Memory, To.Offset,
                     std::vector<ConstValue>(Lanes, ConstValue())};
    if (!From.Gate) {
      if (U->getSrc(1)->getDType().getElement().isFloat())
        Copy.Lanes.assign(Lanes, ConstValue::getFloat(0.0));
      else
        Copy.Lanes.assign(Lanes, ConstValue::getInt(0));
    } else {
      if (access(U, From, Lanes) == Stop::Error)
        return Stop::Error;
      for (unsigned L = 0; L != Lanes; ++L)
        Copy.Lanes[L] = From.Memory->get(From.Offset + L);
    }
    T.OpenCopies.push_back(std::move(Copy));
    break;
  }
  case Op::AsyncCommit:
    T.CopyGroups.push_back(std::move(T.OpenCopies));
    T.OpenCopies.clear();
    break;
  case Op::AsyncWait: {
    size_t Pending = U->getArgField(0)->getInt();
    while (T.CopyGroups.size() > Pending) {
      for (const PendingCopy &Copy : T.CopyGroups.front())
        for (size_t L = 0; L != Copy.Lanes.size(); ++L)
          Copy.Memory->set(Copy.Offset + L, Copy.Lanes[L]);
      T.CopyGroups.pop_front();
    }
    break;
  }
  case Op::WMMA:
  case Op::LoadMatrix: // Runs once the whole warp is there.
    return Stop::WMMA;
  case Op::Index: {
    const Value &Base = Src(0);
    auto Srcs = U->getSrcs().drop_front();
    Out = Base;
    if (!Srcs.empty() && Srcs.back()->getDType().isBool()) {
      Out.Gate = Base.Gate && Src(Srcs.size()).Lanes[0].getInt() != 0;
      Srcs = Srcs.drop_back();
    }
    DType Buffer = U->getSrc(0)->getDType();
    if (Buffer.isImage()) {
      // Texel (x, y) of a row-major image: 4 elements at 4 * (y * W + x).
      if (Srcs.size() != 2)
        return fail(U, "an image is indexed by (x, y), got " +
                           llvm::Twine(Srcs.size()) + " indices");
      int64_t X = Src(1).Lanes[0].getInt();
      int64_t Y = Src(2).Lanes[0].getInt();
      Out.Outside =
          X < 0 || X >= Buffer.getWidth() || Y < 0 || Y >= Buffer.getHeight();
      Out.Offset = Out.Outside ? 0 : 4 * (Y * Buffer.getWidth() + X);
      break;
    }
    if (Srcs.size() > 1)
      return fail(U, "indexing a buffer with " + llvm::Twine(Srcs.size()) +
                         " indices (only images take two)");
    if (!Srcs.empty())
      Out.Offset += Src(1).Lanes[0].getInt();
    break;
  }
  case Op::Load: {
    const Value &Pointer = Src(0);
    unsigned Lanes = Type.getCount();
    Out.Lanes.assign(Lanes, ConstValue());
    if (!Pointer.Gate) {
      if (U->getNumSrcs() > 1)
        Out.Lanes = Src(1).Lanes;
      else if (Type.isFloat())
        Out.Lanes.assign(Lanes, ConstValue::getFloat(0.0));
      break;
    }
    // Outside an image a read gives the border colour, zero (a sampler
    // with CLK_ADDRESS_CLAMP).
    if (Pointer.Outside) {
      Out.Lanes.assign(Lanes, ConstValue::getFloat(0.0));
      break;
    }
    // A vector load from a buffer of scalars reads consecutive elements.
    unsigned Elements =
        Pointer.Memory && Pointer.Memory->Element.getCount() == Lanes ? 1
                                                                      : Lanes;
    if (access(U, Pointer, Elements) == Stop::Error)
      return Stop::Error;
    for (unsigned L = 0; L != Lanes; ++L)
      Out.Lanes[L] = Elements == 1 ? Pointer.Memory->get(Pointer.Offset, L)
                                   : Pointer.Memory->get(Pointer.Offset + L);
    break;
  }
  case Op::Store: {
    const Value &Pointer = Src(0);
    const Value &Stored = Src(1);
    if (!Pointer.Gate)
      break;
    if (Pointer.Outside)
      return fail(U, "writes a texel outside its image");
    unsigned Lanes = Stored.Lanes.size();
    unsigned Elements =
        Pointer.Memory && Pointer.Memory->Element.getCount() == Lanes ? 1
                                                                      : Lanes;
    if (access(U, Pointer, Elements) == Stop::Error)
      return Stop::Error;
    for (unsigned L = 0; L != Lanes; ++L) {
      if (Elements == 1)
        Pointer.Memory->set(Pointer.Offset, Stored.Lanes[L], L);
      else
        Pointer.Memory->set(Pointer.Offset + L, Stored.Lanes[L]);
    }
    break;
  }
  case Op::Vectorize:
    Out.Lanes.clear();
    for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I)
      Out.Lanes.push_back(Src(I).Lanes[0]);
    break;
  case Op::Cat:
    Out.Lanes.clear();
    for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I)
      Out.Lanes.append(Src(I).Lanes);
    break;
  case Op::GEP: {
    const Value &Vector = Src(0);
    Out.Lanes.clear();
    for (const Arg *Lane : U->getArg()->getElements())
      Out.Lanes.push_back(Vector.Lanes[Lane->getInt()]);
    break;
  }
  default: {
    if (!U->hasTrait(OpTrait::Elementwise))
      return fail(U, "the interpreter does not run this op");
    // One lane at a time; evalAlu takes the first operand's type (for
    // `where`, the condition's).
    ScalarKind OperandType = U->getSrc(0)->getDType().getScalarKind();
    unsigned Lanes = Type.getCount();
    Out.Lanes.resize(Lanes);
    llvm::SmallVector<ConstValue, 3> Ops(U->getNumSrcs());
    for (unsigned L = 0; L != Lanes; ++L) {
      for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I) {
        const Value &V = Src(I);
        Ops[I] = V.Lanes[V.Lanes.size() == 1 ? 0 : L];
      }
      std::optional<ConstValue> R =
          evalAlu(U->getOp(), Type.getScalarKind(), OperandType, Ops);
      if (!R)
        return fail(U, "has no value on these operands (lane " +
                           llvm::Twine(L) + ")");
      Out.Lanes[L] = *R;
    }
    break;
  }
  }
  T.PC = Next;
  return Stop::Done;
}

Stop Interpreter::runUntilStop(Thread &T) {
  while (T.PC < P.Code.size()) {
    Stop S = step(T);
    if (S != Stop::Done)
      return S;
  }
  return Stop::Done;
}

LogicalResult Interpreter::runGroup(const int64_t GroupIds[3]) {
  Locals.clear();
  // Made in place: a Thread owns its registers and is not copied.
  std::vector<Thread> Threads(GroupSize[0] * GroupSize[1] * GroupSize[2]);
  for (size_t I = 0; I != Threads.size(); ++I) {
    Thread &T = Threads[I];
    T.Values.resize(Initial.size() + P.Code.size());
    std::copy(Initial.begin(), Initial.end(), T.Values.begin());
    std::copy(GroupIds, GroupIds + 3, T.GroupIds);
    T.LocalIds[0] = int64_t(I) % GroupSize[0];
    T.LocalIds[1] = int64_t(I) / GroupSize[0] % GroupSize[1];
    T.LocalIds[2] = int64_t(I) / (GroupSize[0] * GroupSize[1]);
  }
  // Run every thread to its next barrier or wmma, then release them
  // together.
  for (;;) {
    unsigned AtBarrier = 0, AtWMMA = 0, Done = 0;
    const UOp *Barrier = nullptr;
    for (Thread &T : Threads) {
      if (T.PC >= P.Code.size()) {
        ++Done;
        continue;
      }
      switch (runUntilStop(T)) {
      case Stop::Error:
        return failure();
      case Stop::Barrier:
        ++AtBarrier;
        Barrier = P.Code[T.PC - 1];
        break;
      case Stop::WMMA:
        ++AtWMMA;
        Barrier = P.Code[T.PC];
        break;
      case Stop::Done:
        ++Done;
        break;
      }
    }
    if (AtWMMA) {
      bool IsWMMA = Barrier->getOp() == Op::WMMA;
      size_t WarpSize = IsWMMA ? Barrier->getArgField(2)->getInt() : 32;
      if (AtWMMA != Threads.size() || Threads.size() % WarpSize)
        return error(Barrier, "only " + llvm::Twine(AtWMMA) + " of " +
                                  llvm::Twine(Threads.size()) +
                                  " threads of a work-group reached it (it "
                                  "needs whole warps of " +
                                  llvm::Twine(WarpSize) + ")");
      for (size_t I = 0; I != Threads.size(); I += WarpSize) {
        auto Warp = llvm::MutableArrayRef<Thread>(Threads).slice(I, WarpSize);
        if (failed(IsWMMA ? runWMMA(Warp) : runLoadMatrix(Warp)))
          return failure();
      }
      continue;
    }
    if (!AtBarrier)
      return success();
    if (Done)
      return error(Barrier, "only " + llvm::Twine(AtBarrier) + " of " +
                                llvm::Twine(Threads.size()) +
                                " threads of a work-group reached it");
  }
}

LogicalResult Interpreter::runLoadMatrix(llvm::MutableArrayRef<Thread> Warp) {
  const UOp *U = P.Code[Warp.front().PC];
  for (const Thread &T : Warp)
    if (T.PC != Warp.front().PC)
      return error(U, "the threads of a warp reach different instructions");
  int64_t Matrices = U->getArgField(0)->getInt();
  bool Transpose = U->getArgField(1)->getInt() != 0;
  if ((Matrices != 1 && Matrices != 2 && Matrices != 4) ||
      U->getDType().getCount() != 2 * Matrices ||
      U->getDType().getScalarBits() != 16)
    return error(U, "loads 1, 2 or 4 matrices of 16-bit elements, two per "
                    "matrix and lane");
  // Row r of matrix j is at the pointer of lane 8j + r.
  for (size_t L = 0; L != Warp.size(); ++L) {
    llvm::SmallVector<ConstValue, 8> Lanes;
    for (int64_t J = 0; J != Matrices; ++J)
      for (int64_t E = 0; E != 2; ++E) {
        int64_t Row = Transpose ? 2 * (L % 4) + E : L / 4;
        int64_t Col = Transpose ? L / 4 : 2 * (L % 4) + E;
        const Value &Pointer = get(Warp[8 * J + Row], U->getSrc(0));
        Value At = Pointer;
        At.Offset += Col;
        if (!Pointer.Gate)
          return error(U, "a gated pointer");
        if (access(U, At, 1) == Stop::Error)
          return failure();
        Lanes.push_back(At.Memory->get(At.Offset));
      }
    Thread &T = Warp[L];
    get(T, U).Lanes.assign(Lanes.begin(), Lanes.end());
  }
  for (Thread &T : Warp)
    ++T.PC;
  return success();
}

LogicalResult Interpreter::runWMMA(llvm::MutableArrayRef<Thread> Warp) {
  const UOp *U = P.Code[Warp.front().PC];
  for (const Thread &T : Warp)
    if (T.PC != Warp.front().PC)
      return error(U, "the threads of a warp reach different instructions");
  llvm::SmallVector<int64_t, 3> Dims;
  for (const Arg *D : U->getArgField(1)->getElements())
    Dims.push_back(D->getInt());
  const WMMALayout *L = lookupWMMALayout(U->getArgField(0)->getString());
  if (!L || L->Threads != Warp.size() ||
      llvm::ArrayRef<int64_t>(Dims) !=
          llvm::ArrayRef<int64_t>({L->N, L->M, L->K}))
    return error(U, "no fragment layout is known for '" +
                        U->getArgField(0)->getString() + "'");
  if (U->getDType().getScalarKind() != ScalarKind::F32)
    return error(U, "accumulates in f32 only, not " + U->getDType().str());
  const FragmentLayout *Layouts[3] = {&L->A, &L->B, &L->C};
  // The rows and columns of A (N x K), B (K x M) and C (N x M).
  int64_t Cols[3] = {L->K, L->M, L->M};
  std::vector<float> Matrices[3] = {std::vector<float>(L->N * L->K),
                                    std::vector<float>(L->K * L->M),
                                    std::vector<float>(L->N * L->M)};
  for (unsigned Operand = 0; Operand != 3; ++Operand)
    for (size_t Lane = 0; Lane != Warp.size(); ++Lane) {
      const Value &V = get(Warp[Lane], U->getSrc(Operand));
      if (V.Lanes.size() != Layouts[Operand]->Elements)
        return error(U, "operand " + llvm::Twine(Operand + 1) + " has " +
                            llvm::Twine(V.Lanes.size()) +
                            " lanes, the layout " +
                            llvm::Twine(Layouts[Operand]->Elements));
      for (unsigned E = 0; E != V.Lanes.size(); ++E) {
        auto [Row, Col] = Layouts[Operand]->getPosition(Lane, E);
        Matrices[Operand][Row * Cols[Operand] + Col] = V.Lanes[E].getFloat();
      }
    }
  auto &[A, B, C] = Matrices;
  for (size_t Lane = 0; Lane != Warp.size(); ++Lane) {
    Thread &T = Warp[Lane];
    Value &Out = get(T, U);
    Out.Lanes.assign(L->C.Elements, ConstValue());
    for (unsigned E = 0; E != L->C.Elements; ++E) {
      auto [Row, Col] = L->C.getPosition(Lane, E);
      float Sum = C[Row * L->M + Col];
      for (unsigned K = 0; K != L->K; ++K)
        Sum += A[Row * L->K + K] * B[K * L->M + Col];
      Out.Lanes[E] = ConstValue::getFloat(Sum);
    }
    ++T.PC;
  }
  return success();
}

LogicalResult Interpreter::run() {
  if (failed(load()))
    return failure();
  int64_t Ids[3];
  for (Ids[2] = 0; Ids[2] != NumGroups[2]; ++Ids[2])
    for (Ids[1] = 0; Ids[1] != NumGroups[1]; ++Ids[1])
      for (Ids[0] = 0; Ids[0] != NumGroups[0]; ++Ids[0])
        if (failed(runGroup(Ids)))
          return failure();
  return success();
}

LogicalResult tg::interpret(const Function &F, KernelArguments &Args,
                            DiagnosticEngine &Diag) {
  return Interpreter(F, Args, Diag).run();
}
