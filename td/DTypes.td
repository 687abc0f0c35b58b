//===- DTypes.td - scalar types and address spaces ---------*- tablegen -*-===//
//
// The scalar element types of tg and the address spaces a pointer can live in.
// tg-tblgen -gen-dtype-defs turns this file into the ScalarKind and AddrSpace
// enums and their tables (name, aliases accepted by the parser, bit width,
// category). Vectors, pointers and images are built from these in C++.
//
//===----------------------------------------------------------------------===//

include "Enum.td"

// What family a scalar belongs to; the verifier and evalAlu dispatch on it.
class ScalarCategory<string name> { string Name = name; }
def BoolCategory     : ScalarCategory<"Bool">;
def SignedCategory   : ScalarCategory<"Signed">;
def UnsignedCategory : ScalarCategory<"Unsigned">;
def FloatCategory    : ScalarCategory<"Float">;
def IndexCategory    : ScalarCategory<"Index">;
def VoidCategory     : ScalarCategory<"Void">;

// A scalar type. `Mnemonic` is the canonical spelling in the text form; the
// parser also accepts every spelling in `Aliases` and prints the mnemonic.
// Records are named DT<Name>; the C++ enumerator is ScalarKind::<Name>.
class Scalar<string mnemonic, int width, ScalarCategory category,
             list<string> aliases = []> {
  string Mnemonic = mnemonic;
  int Bits = width;
  ScalarCategory Category = category;
  list<string> Aliases = aliases;
  // Exponent and mantissa widths, for floats only.
  int ExponentBits = 0;
  int MantissaBits = 0;
  string Summary = "";
}

class FloatScalar<string mnemonic, int width, int exponent, int mantissa,
                  list<string> aliases = []>
    : Scalar<mnemonic, width, FloatCategory, aliases> {
  let ExponentBits = exponent;
  let MantissaBits = mantissa;
}

def DTVoid : Scalar<"void", 0, VoidCategory> {
  let Summary = "no value; the type of stores, sinks and other effects";
}
def DTBool : Scalar<"bool", 1, BoolCategory, ["i1"]> {
  let Summary = "true or false";
}
def DTI8  : Scalar<"i8", 8, SignedCategory, ["int8", "char"]>;
def DTI16 : Scalar<"i16", 16, SignedCategory, ["int16", "short"]>;
def DTI32 : Scalar<"i32", 32, SignedCategory, ["int32", "int"]>;
def DTI64 : Scalar<"i64", 64, SignedCategory, ["int64", "long"]>;
def DTU8  : Scalar<"u8", 8, UnsignedCategory, ["uint8", "uchar"]>;
def DTU16 : Scalar<"u16", 16, UnsignedCategory, ["uint16", "ushort"]>;
def DTU32 : Scalar<"u32", 32, UnsignedCategory, ["uint32", "uint"]>;
def DTU64 : Scalar<"u64", 64, UnsignedCategory, ["uint64", "ulong"]>;
def DTF16  : FloatScalar<"f16", 16, 5, 10, ["float16", "half"]>;
def DTBF16 : FloatScalar<"bf16", 16, 8, 7, ["bfloat16"]>;
def DTF32  : FloatScalar<"f32", 32, 8, 23, ["float32", "float"]>;
def DTF64  : FloatScalar<"f64", 64, 11, 52, ["float64", "double"]>;
def DTFP8E4M3 : FloatScalar<"fp8e4m3", 8, 4, 3, ["float8_e4m3"]> {
  let Summary = "OCP FP8 E4M3 (finite only: no infinities, one NaN pattern)";
}
def DTFP8E5M2 : FloatScalar<"fp8e5m2", 8, 5, 2, ["float8_e5m2"]> {
  let Summary = "OCP FP8 E5M2 (IEEE-like, with infinities)";
}
def DTIndex : Scalar<"index", 0, IndexCategory> {
  let Summary = "unbounded mathematical integer for shapes and indices; "
                "never overflows (lower-index later picks i32 or i64)";
}

// Where a pointer points. `define` with a global pointer is a kernel
// parameter; local is work-group shared memory; reg is per-thread registers.
class AddrSpace<string mnemonic, string summary>
    : EnumCase<"AddrSpace", mnemonic, summary>;
def Global : AddrSpace<"global", "device memory visible to every thread">;
def Local  : AddrSpace<"local", "memory shared by the threads of a work-group">;
def Reg    : AddrSpace<"reg", "registers private to one thread">;
