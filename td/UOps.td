//===- UOps.td - the op set of tg ---------------------------*- tablegen -*-===//
//
// Every UOp op, tensor level and kernel level, with its traits, operand
// counts, argument fields, result constraint and one line of semantics.
// tg-tblgen -gen-op-defs turns this file into the Op enum and the tables
// the verifier, the parser and the printer use. The record name is the C++
// enumerator (`Op::FloorDiv`); `Mnemonic` is the spelling in the text form.
//
// Semantics that differ from C are written here, at the definition.
//
//===----------------------------------------------------------------------===//

include "DTypes.td"

//===----------------------------------------------------------------------===//
// Enumerations carried in op arguments
//===----------------------------------------------------------------------===//

// The role of a RANGE (tinygrad's AxisType).
class AxisKind<string mnemonic, string summary>
    : EnumCase<"AxisKind", mnemonic, summary> {
  let Prefix = "Axis";
}
def AxisGlobal  : AxisKind<"global", "spread over work-groups (grid)">;
def AxisWarp    : AxisKind<"warp", "spread over the lanes of a warp">;
def AxisLocal   : AxisKind<"local", "spread over the threads of a work-group">;
def AxisLoop    : AxisKind<"loop", "a sequential loop">;
def AxisGroupReduce : AxisKind<"group_reduce",
                               "a reduction split over a work-group">;
def AxisReduce  : AxisKind<"reduce", "a sequential reduction loop">;
def AxisUpcast  : AxisKind<"upcast", "unrolled into vector lanes (output)">;
def AxisUnroll  : AxisKind<"unroll", "unrolled into vector lanes (reduce)">;
def AxisThread  : AxisKind<"thread", "spread over CPU threads">;
def AxisOuter   : AxisKind<"outer", "outside the kernel (scheduling)">;

// An optimization applied by the `opt` pass, as data on a kernel.
class OptKind<string mnemonic, string summary>
    : EnumCase<"OptKind", mnemonic, summary> {
  let Prefix = "Opt";
}
def OptTC       : OptKind<"tc", "use tensor cores for a reduction">;
def OptUpcast   : OptKind<"upcast", "unroll an output axis into vectors">;
def OptUnroll   : OptKind<"unroll", "unroll a reduce axis into vectors">;
def OptLocal    : OptKind<"local", "split an axis over work-group threads">;
def OptThread   : OptKind<"thread", "split an axis over CPU threads">;
def OptGroup    : OptKind<"group", "split a reduction over a work-group">;
def OptGroupTop : OptKind<"grouptop",
                          "split a reduction over a work-group, outer part">;
def OptNoLocals : OptKind<"nolocals", "use no local memory or local axes">;
def OptPadTo    : OptKind<"padto", "pad an axis up to a multiple">;
def OptSwap     : OptKind<"swap", "swap two global axes">;
def OptStage    : OptKind<"stage",
                          "copy a reduce step's loads into local memory">;

//===----------------------------------------------------------------------===//
// Traits
//===----------------------------------------------------------------------===//

class Trait<string summary> { string Summary = summary; }
def Elementwise : Trait<"computes lane by lane on its operands' values">;
def Unary       : Trait<"one operand">;
def Binary      : Trait<"two operands">;
def Ternary     : Trait<"three operands">;
def Commutative : Trait<"op(a, b) == op(b, a)">;
def Associative : Trait<"op(op(a, b), c) == op(a, op(b, c))">;
def Idempotent  : Trait<"op(a, a) == a">;
def Comparison  : Trait<"compares its operands; the result is bool">;
def Movement    : Trait<"reshapes a tensor view without computing">;
def Definition  : Trait<"defines storage or a variable; has no operands">;
def Irreducible : Trait<"a leaf of symbolic expressions (never rewritten)">;
def SideEffect  : Trait<"has an effect besides its value; never removed "
                        "while reachable">;
def TensorLevel : Trait<"appears only before kernelize">;
def KernelLevel : Trait<"appears only in kernels, after kernelize">;

//===----------------------------------------------------------------------===//
// Argument fields
//===----------------------------------------------------------------------===//

// The kind of value an argument field holds; each kind has one spelling in
// the text form (see docs/LangRef.md).
class ArgType<string summary> { string Summary = summary; }
def IntArg      : ArgType<"a 64-bit signed integer">;
def BoolArg     : ArgType<"true or false">;
def StringArg   : ArgType<"a quoted string">;
def ConstArg    : ArgType<"a constant of the op's scalar type: integer, bool "
                          "or exact float">;
def ConstListArg : ArgType<"a list of constants, one per vector lane">;
def IntListArg  : ArgType<"a list of integers, e.g. [0, 2, 1]">;
def IntPairListArg : ArgType<"a list of integer pairs, e.g. [(0, 1), (2, 0)]">;
def AxisKindArg : ArgType<"an axis kind (global, local, reduce, ...)">;
def OpArg       : ArgType<"the mnemonic of a binary ALU op, e.g. add">;
def OptListArg  : ArgType<"a list of opts, e.g. [upcast(0, 4), local(1, 8)]">;

// A named field of an op's argument, printed as `{name = value, ...}`.
class ArgField<string name, ArgType type> {
  string Name = name;
  ArgType Type = type;
}

//===----------------------------------------------------------------------===//
// Result type constraints checked by the verifier for every op
//===----------------------------------------------------------------------===//

class ResultConstraint<string summary> { string Summary = summary; }
def AnyResult      : ResultConstraint<"any type">;
def VoidResult     : ResultConstraint<"void">;
def BoolResult     : ResultConstraint<"bool, or a vector of bool">;
def IntegerResult  : ResultConstraint<"index or a fixed-width integer">;
def PointerResult  : ResultConstraint<"a pointer">;
def SameAsOperands : ResultConstraint<"the type of every operand">;
def SameAsFirst    : ResultConstraint<"the type of the first operand">;

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

class UOp<string mnemonic, list<Trait> traits = []> {
  string Mnemonic = mnemonic;
  list<Trait> Traits = traits;
  int MinOperands = 0;
  int MaxOperands = 0; // -1: any number from MinOperands up
  list<ArgField> Args = [];
  // The single argument is printed right after the mnemonic, unnamed:
  // `const 1.0 : f32` rather than `const {value = 1.0} : f32`.
  bit InlineArg = 0;
  ResultConstraint Result = AnyResult;
  string Summary = ?;
}

class Fixed<int n> { int MinOperands = n; int MaxOperands = n; }

// ALU ops compute lane by lane; their operands and result share one type.
class UnaryOp<string mnemonic, list<Trait> traits = []>
    : UOp<mnemonic, !listconcat([Elementwise, Unary], traits)> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Result = SameAsOperands;
}
class BinaryOp<string mnemonic, list<Trait> traits = []>
    : UOp<mnemonic, !listconcat([Elementwise, Binary], traits)> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Result = SameAsOperands;
}
class CompareOp<string mnemonic, list<Trait> traits = []>
    : UOp<mnemonic, !listconcat([Elementwise, Binary, Comparison], traits)> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Result = BoolResult;
}
class MovementOp<string mnemonic, ArgField argField>
    : UOp<mnemonic, [Movement, TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [argField];
  let Result = SameAsFirst;
}

//----- Graph structure ------------------------------------------------------//

def Sink : UOp<"sink"> {
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "the root of a kernel: keeps its operands (the effects) alive";
}
def Group : UOp<"group"> {
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "groups effects that happen together, in no order";
}
def After : UOp<"after"> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Result = SameAsFirst;
  let Summary = "the first operand, once the effects of the others are done";
}
def Noop : UOp<"noop"> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Result = SameAsFirst;
  let Summary = "its operand, unchanged (a placeholder for rewrites)";
}

//----- Definitions and constants --------------------------------------------//

def Define : UOp<"define", [Definition]> {
  let Args = [ArgField<"id", IntArg>];
  let Result = PointerResult;
  let Summary = "a buffer at the pointer's address space: a kernel parameter "
                "(global, id = position), shared memory (local) or registers "
                "(reg)";
}
def DefineVar : UOp<"define_var", [Definition, Irreducible]> {
  let Args = [ArgField<"name", StringArg>, ArgField<"min", IntArg>,
              ArgField<"max", IntArg>];
  let Result = IntegerResult;
  let Summary = "an integer variable known to lie in [min, max] (inclusive)";
}
def Bind : UOp<"bind"> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Result = SameAsFirst;
  let Summary = "a define_var bound to a value for one run";
}
def Const : UOp<"const", [Irreducible]> {
  let Args = [ArgField<"value", ConstArg>];
  let InlineArg = 1;
  let Summary = "a constant; a vector type broadcasts it to every lane";
}
def VConst : UOp<"vconst"> {
  let Args = [ArgField<"values", ConstListArg>];
  let InlineArg = 1;
  let Summary = "a vector constant, one value per lane";
}

//----- Loops and launch dimensions -----------------------------------------//

def Range : UOp<"range", [Irreducible, KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"axis", IntArg>, ArgField<"kind", AxisKindArg>];
  let Result = IntegerResult;
  let Summary = "a loop variable running over [0, operand); the only loop";
}
def End : UOp<"end", [KernelLevel]> {
  let MinOperands = 2;
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "closes the ranges (operands 2..n) around the effect operand 1";
}
def Special : UOp<"special", [Irreducible, KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"name", StringArg>];
  let Result = IntegerResult;
  let Summary = "a launch index (gidx0, lidx1, ...) in [0, operand); made by "
                "gpudims";
}

//----- Memory ---------------------------------------------------------------//

def Index : UOp<"index", [KernelLevel]> {
  let MinOperands = 2;
  let MaxOperands = -1;
  let Result = PointerResult;
  let Summary = "the address of element (operands 2..n) of a buffer, or of "
                "texel (x, y) of an image; a final bool operand gates the access";
}
def Load : UOp<"load", [KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = 2;
  let Summary = "reads through a pointer; if the pointer's gate is false no "
                "memory is read and the result is operand 2 (default zero); a "
                "texel outside its image reads zero";
}
def Store : UOp<"store", [KernelLevel, SideEffect]> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Result = VoidResult;
  let Summary = "writes operand 2 through the pointer operand 1; a false gate "
                "writes nothing; a texel outside its image is undefined";
}
def Barrier : UOp<"barrier", [KernelLevel, SideEffect]> {
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "waits until every thread of the work-group reaches it, after "
                "the effects of its operands";
}
def AsyncCopy : UOp<"async_copy", [KernelLevel, SideEffect]> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Args = [ArgField<"lanes", IntArg>];
  let Result = VoidResult;
  let Summary = "starts copying `lanes` elements from pointer operand 2 "
                "(global) to pointer operand 1 (local); a false gate of "
                "operand 2 copies zeros, of operand 1 nothing. The copy is "
                "done once an async_wait of the thread leaves its group "
                "(async_commit) behind";
}
def AsyncCommit : UOp<"async_commit", [KernelLevel, SideEffect]> {
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "closes the group of the thread's async_copys started since "
                "the last commit, after the effects of its operands";
}
def AsyncWait : UOp<"async_wait", [KernelLevel, SideEffect]> {
  let MaxOperands = -1;
  let Args = [ArgField<"pending", IntArg>];
  let Result = VoidResult;
  let Summary = "waits, after the effects of its operands, until at most "
                "`pending` of the thread's committed groups of copies are "
                "not done";
}
def LoadMatrix : UOp<"load_matrix", [KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"matrices", IntArg>, ArgField<"transpose", IntArg>];
  let Summary = "a warp's load of `matrices` (1, 2 or 4) 8 x 8 matrices of "
                "16-bit elements from local memory (ldmatrix): lane l's "
                "pointer is row l % 8 of matrix l / 8; each lane gets two "
                "elements of each matrix j, lanes 2j and 2j + 1: row l / 4, "
                "columns 2 (l % 4) and 2 (l % 4) + 1, or with `transpose` "
                "rows 2 (l % 4) and 2 (l % 4) + 1, column l / 4";
}
def If : UOp<"if", [KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "runs what follows up to its endif only when operand 1 is true";
}
def EndIf : UOp<"endif", [KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Result = VoidResult;
  let Summary = "closes the if operand 1 after the effects operands 2..n that "
                "it guards";
}

//----- Reductions and tensor cores -----------------------------------------//

def Reduce : UOp<"reduce", [KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Args = [ArgField<"op", OpArg>];
  let Result = SameAsFirst;
  let Summary = "folds operand 1 with `op` over the ranges operands 2..n";
}
def ReduceAxis : UOp<"reduce_axis", [TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"op", OpArg>, ArgField<"axes", IntListArg>];
  let Result = SameAsFirst;
  let Summary = "folds a tensor with `op` over `axes`, keeping them as size 1";
}
def WMMA : UOp<"wmma", [KernelLevel]> {
  let MinOperands = 3;
  let MaxOperands = 3;
  let Args = [ArgField<"name", StringArg>, ArgField<"dims", IntListArg>,
              ArgField<"threads", IntArg>];
  let Summary = "a tensor-core multiply-accumulate a*b+c of shape dims=[n, m, k] "
                "over `threads` threads: each operand is one thread's fragment, "
                "its lanes the elements the instruction's layout gives the "
                "thread (include/tg/IR/WMMA.h)";
}

//----- Vectors --------------------------------------------------------------//

def Vectorize : UOp<"vectorize"> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Summary = "a vector whose lanes are the scalar operands";
}
def GEP : UOp<"gep"> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"lanes", IntListArg>];
  let Summary = "the listed lanes of a vector (a scalar for one lane)";
}
def Cat : UOp<"cat"> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Summary = "the lanes of the operands, concatenated";
}
def PtrCat : UOp<"ptrcat", [KernelLevel]> {
  let MinOperands = 1;
  let MaxOperands = -1;
  let Result = PointerResult;
  let Summary = "pointers to adjacent scalars, accessed as one vector";
}
def Unroll : UOp<"unroll", [KernelLevel]> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Summary = "lane r of the vector operand 1, r the value of the upcast or "
                "unroll range operand 2 (`expand` makes it a gep)";
}
def Contract : UOp<"contract", [KernelLevel]> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Summary = "the vector of operand 1's values over the iterations of the "
                "upcast or unroll range operand 2, which it closes (`expand` "
                "makes it a vectorize)";
}

//----- Conversions ----------------------------------------------------------//

def Cast : UOp<"cast", [Elementwise, Unary]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Summary = "converts the value: floats to integers truncate toward zero, "
                "integers wrap to the target width, nonzero is true";
}
def Bitcast : UOp<"bitcast", [Elementwise, Unary]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Summary = "reinterprets the bits as a type of the same total width";
}

//----- ALU: unary -----------------------------------------------------------//

def Neg : UnaryOp<"neg"> {
  let Summary = "-x; fixed-width integers wrap, so neg(INT_MIN) == INT_MIN";
}
def Exp2 : UnaryOp<"exp2"> { let Summary = "2 to the power x (floats)"; }
def Log2 : UnaryOp<"log2"> {
  let Summary = "base-2 logarithm; log2(0) = -inf, log2(x<0) = nan (floats)";
}
def Sin : UnaryOp<"sin"> { let Summary = "sine of x radians (floats)"; }
def Sqrt : UnaryOp<"sqrt"> {
  let Summary = "square root; sqrt(x<0) = nan (floats)";
}
def Recip : UnaryOp<"recip"> {
  let Summary = "1/x; recip(0) = inf with the sign of the zero (floats)";
}
def Trunc : UnaryOp<"trunc"> {
  let Summary = "rounds toward zero to an integral value (floats)";
}

//----- ALU: binary ----------------------------------------------------------//

def Add : BinaryOp<"add", [Commutative, Associative]> {
  let Summary = "a + b; fixed-width integers wrap (two's complement)";
}
def Sub : BinaryOp<"sub"> {
  let Summary = "a - b; fixed-width integers wrap";
}
def Mul : BinaryOp<"mul", [Commutative, Associative]> {
  let Summary = "a * b; fixed-width integers wrap";
}
def FDiv : BinaryOp<"fdiv"> {
  let Summary = "a / b for floats (IEEE division)";
}
def FloorDiv : BinaryOp<"floordiv"> {
  let Summary = "floor(a / b) for integers: rounds toward -inf, unlike C; "
                "b == 0 is undefined";
}
def FloorMod : BinaryOp<"floormod"> {
  let Summary = "a - b*floordiv(a, b): has the sign of b, unlike C's %; "
                "b == 0 is undefined";
}
def TruncDiv : BinaryOp<"truncdiv"> {
  let Summary = "a / b rounded toward zero, as in C; b == 0 and INT_MIN / -1 "
                "are undefined";
}
def TruncMod : BinaryOp<"truncmod"> {
  let Summary = "a - b*truncdiv(a, b): has the sign of a, as C's %; "
                "b == 0 is undefined";
}
def Max : BinaryOp<"max", [Commutative, Associative, Idempotent]> {
  let Summary = "the larger of a and b; nan if either is nan (floats)";
}
def Pow : BinaryOp<"pow"> { let Summary = "a to the power b (floats)"; }
def Shl : BinaryOp<"shl"> {
  let Summary = "a << b; b outside [0, bits) is undefined";
}
def Shr : BinaryOp<"shr"> {
  let Summary = "a >> b, arithmetic for signed types, logical for unsigned; "
                "b outside [0, bits) is undefined";
}
def And : BinaryOp<"and", [Commutative, Associative, Idempotent]> {
  let Summary = "bitwise and (logical and for bool)";
}
def Or : BinaryOp<"or", [Commutative, Associative, Idempotent]> {
  let Summary = "bitwise or (logical or for bool)";
}
def Xor : BinaryOp<"xor", [Commutative, Associative]> {
  let Summary = "bitwise exclusive or (logical for bool)";
}
def Threefry : BinaryOp<"threefry"> {
  let Summary = "the Threefry-2x32 random function of (x, key), both u64";
}
def CmpLT : CompareOp<"cmplt"> {
  let Summary = "a < b (signed or unsigned by type; false if either is nan)";
}
def CmpNE : CompareOp<"cmpne", [Commutative]> {
  let Summary = "a != b (true if either is nan)";
}
def CmpEQ : CompareOp<"cmpeq", [Commutative]> {
  let Summary = "a == b (false if either is nan)";
}

//----- ALU: ternary ---------------------------------------------------------//

def Where : UOp<"where", [Elementwise, Ternary]> {
  let MinOperands = 3;
  let MaxOperands = 3;
  let Summary = "b if the bool condition a is true, else c (lane by lane)";
}
def MulAcc : UOp<"mulacc", [Elementwise, Ternary]> {
  let MinOperands = 3;
  let MaxOperands = 3;
  let Result = SameAsOperands;
  let Summary = "a*b + c (floats may fuse into one rounding)";
}

//----- Escape hatch ---------------------------------------------------------//

def Custom : UOp<"custom"> {
  let MaxOperands = -1;
  let Args = [ArgField<"code", StringArg>];
  let Summary = "a statement of backend source; {0}, {1}... are the operands";
}
def CustomI : UOp<"customi"> {
  let MaxOperands = -1;
  let Args = [ArgField<"code", StringArg>];
  let Summary = "an inline expression of backend source, like custom";
}

//----- Tensor level ---------------------------------------------------------//

def Buffer : UOp<"buffer", [Definition, TensorLevel]> {
  let Args = [ArgField<"id", IntArg>, ArgField<"device", StringArg>];
  let Result = PointerResult;
  let Summary = "a tensor's storage on a device, before kernelize";
}
def BufferView : UOp<"buffer_view", [TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"size", IntArg>, ArgField<"offset", IntArg>];
  let Result = PointerResult;
  let Summary = "`size` elements of a buffer starting at `offset`, no copy";
}
def Copy : UOp<"copy", [TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Args = [ArgField<"device", StringArg>];
  let Result = SameAsFirst;
  let Summary = "the tensor copied to `device`";
}
def Contiguous : UOp<"contiguous", [TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Result = SameAsFirst;
  let Summary = "the tensor materialized in a buffer of its own (a kernel "
                "boundary)";
}
def ContiguousBackward : UOp<"contiguous_backward", [TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Result = SameAsFirst;
  let Summary = "its operand, made contiguous only in the backward pass";
}
def Detach : UOp<"detach", [TensorLevel]> {
  let MinOperands = 1;
  let MaxOperands = 1;
  let Result = SameAsFirst;
  let Summary = "its operand, with no gradient flowing through";
}
def Assign : UOp<"assign", [TensorLevel, SideEffect]> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Result = SameAsFirst;
  let Summary = "writes operand 2 into the buffer of operand 1; the result is "
                "the updated buffer";
}
def Reshape : MovementOp<"reshape", ArgField<"shape", IntListArg>> {
  let Summary = "the same elements viewed with `shape` (same element count)";
}
def Permute : MovementOp<"permute", ArgField<"order", IntListArg>> {
  let Summary = "axes reordered: result axis i is operand axis order[i]";
}
def Expand : MovementOp<"expand", ArgField<"shape", IntListArg>> {
  let Summary = "size-1 axes broadcast to `shape`";
}
def Pad : MovementOp<"pad", ArgField<"padding", IntPairListArg>> {
  let Summary = "(before, after) zeros added to each axis";
}
def Shrink : MovementOp<"shrink", ArgField<"bounds", IntPairListArg>> {
  let Summary = "each axis cut to its [begin, end) bounds";
}
def Flip : MovementOp<"flip", ArgField<"axes", IntListArg>> {
  let Summary = "the listed axes reversed";
}
