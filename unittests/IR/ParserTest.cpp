//===- ParserTest.cpp - the text form: parse, print, diagnose -------------===//
//
// The parser and printer through their C++ API: what a parse builds (UOps,
// params, names, locations), that printing is canonical and a fixed point,
// and that malformed input gives exactly one diagnostic at the right place.
// The lit tests under test/IR and test/Parser cover the same ground through
// tg-opt.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Parser.h"
#include "tg/IR/Printer.h"

#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace tg;

namespace {

class ParserTest : public ::testing::Test {
protected:
  /// Parses `Text`; diagnostics go to Errors as "line:col: message".
  std::unique_ptr<Module> parse(llvm::StringRef Text) {
    unsigned ID = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Text, "test.tg"), llvm::SMLoc());
    DiagnosticEngine Diag(SM);
    Diag.setHandler([&](const Diagnostic &D) {
      auto [Line, Col] = SM.getLineAndColumn(D.Loc);
      Errors.push_back(std::to_string(Line) + ":" + std::to_string(Col) + ": " +
                       D.Message);
    });
    return parseModule(ID, Ctx, Diag);
  }

  static std::string print(const Module &M) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    printModule(M, OS);
    return S;
  }

  /// Parses and prints; "<error>" if it does not parse.
  std::string roundTrip(llvm::StringRef Text) {
    std::unique_ptr<Module> M = parse(Text);
    return M ? print(*M) : "<error>";
  }

  /// The one diagnostic `Text` gives.
  std::string diagnose(llvm::StringRef Text) {
    Errors.clear();
    std::unique_ptr<Module> M = parse(Text);
    EXPECT_FALSE(M) << Text.str();
    EXPECT_EQ(Errors.size(), 1u) << Text.str();
    return Errors.empty() ? "<none>" : Errors.front();
  }

  /// The value of `%c = const <Literal> : <Type>` in a func.
  const Arg *parseConst(llvm::StringRef Literal, llvm::StringRef Type) {
    std::string Text = "func @f() {\n  %c = const " + Literal.str() + " : " +
                       Type.str() + "\n  return %c\n}\n";
    std::unique_ptr<Module> M = parse(Text);
    if (!M)
      return nullptr;
    return M->Functions.front()->getRoot()->getArg();
  }

  Context Ctx;
  llvm::SourceMgr SM;
  std::vector<std::string> Errors;
};

const char *const AddOne =
    R"(kernel @add_one(%out: ptr<f32, global, 1024>, %in: ptr<f32, global, 1024>) {
  %n = const 1024 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %a = index(%in, %i) : ptr<f32, global>
  %x = load(%a) : f32
  %one = const 1.0 : f32
  %y = add(%x, %one) : f32
  %b = index(%out, %i) : ptr<f32, global>
  %s = store(%b, %y) : void
  %e = end(%s, %i) : void
  sink(%e) : void
}
)";

TEST_F(ParserTest, CanonicalTextIsAFixedPoint) {
  EXPECT_EQ(roundTrip(AddOne), AddOne);
}

TEST_F(ParserTest, KernelStructure) {
  std::unique_ptr<Module> M = parse(AddOne);
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Functions.size(), 1u);
  const Function &F = *M->Functions.front();
  EXPECT_TRUE(F.isKernel());
  EXPECT_EQ(F.getName(), "add_one");
  ASSERT_EQ(F.Params.size(), 2u);
  EXPECT_EQ(F.Params[1]->getOp(), Op::Define);
  EXPECT_EQ(F.Params[1]->getArg()->getInt(), 1);
  EXPECT_EQ(F.getName(F.Params[1]), "in");
  EXPECT_EQ(F.getBody().size(), 10u);
  EXPECT_EQ(F.getRoot()->getOp(), Op::Sink);
  EXPECT_EQ(F.getBody().back(), F.getRoot());
  const UOp *Range = F.getBody()[1];
  EXPECT_EQ(Range->getOp(), Op::Range);
  EXPECT_EQ(Range->getArgField(0)->getInt(), 0);
  EXPECT_EQ(Range->getArgField(1)->getAxisKind(), AxisKind::Global);
  EXPECT_EQ(F.getName(Range), "i");
}

TEST_F(ParserTest, ArgStorageFollowsTheFieldCount) {
  std::unique_ptr<Module> M = parse(AddOne);
  ASSERT_TRUE(M);
  const Function &F = *M->Functions.front();
  EXPECT_EQ(F.getBody()[2]->getArg(), nullptr);        // index: no field
  EXPECT_EQ(F.getBody()[0]->getArg()->getInt(), 1024); // const: the field
  EXPECT_TRUE(F.getBody()[1]->getArg()->isList());     // range: a list
}

TEST_F(ParserTest, LocationsPointAtTheNameOrTheMnemonic) {
  std::unique_ptr<Module> M = parse("kernel @k() {\n"
                                    "  %a = barrier() : void\n"
                                    "  sink(%a) : void\n"
                                    "}\n");
  ASSERT_TRUE(M);
  const Function &F = *M->Functions.front();
  auto LineCol = [&](const UOp *U) { return SM.getLineAndColumn(F.getLoc(U)); };
  EXPECT_EQ(LineCol(F.getBody()[0]), std::make_pair(2u, 3u));
  EXPECT_EQ(LineCol(F.getRoot()), std::make_pair(3u, 3u));
  EXPECT_EQ(SM.getLineAndColumn(F.getLoc()), std::make_pair(1u, 1u));
}

TEST_F(ParserTest, FuncParamsAreBoundedVariables) {
  std::unique_ptr<Module> M =
      parse("func @f(%x: index [0, 99], %y: int [-8, 7]) {\n"
            "  return %y\n"
            "}\n");
  ASSERT_TRUE(M);
  const Function &F = *M->Functions.front();
  EXPECT_FALSE(F.isKernel());
  ASSERT_EQ(F.Params.size(), 2u);
  const UOp *Y = F.Params[1];
  EXPECT_EQ(Y->getOp(), Op::DefineVar);
  EXPECT_EQ(Y->getDType(), Ctx.getScalar(ScalarKind::I32));
  EXPECT_EQ(Y->getArgField(0)->getString(), "y");
  EXPECT_EQ(Y->getArgField(1)->getInt(), -8);
  EXPECT_EQ(Y->getArgField(2)->getInt(), 7);
  EXPECT_EQ(F.getRoot(), Y);
  EXPECT_TRUE(F.getBody().empty());
}

TEST_F(ParserTest, EqualLinesAreOneUOpAndLaterNamesAlias) {
  std::unique_ptr<Module> M = parse("func @f(%x: index [0, 9]) {\n"
                                    "  %a = add(%x, %x) : index\n"
                                    "  %b = add(%x, %x) : index\n"
                                    "  %c = mul(%a, %b) : index\n"
                                    "  return %c\n"
                                    "}\n");
  ASSERT_TRUE(M);
  const Function &F = *M->Functions.front();
  ASSERT_EQ(F.getBody().size(), 2u);
  EXPECT_EQ(F.getRoot()->getSrc(0), F.getRoot()->getSrc(1));
  EXPECT_EQ(print(*M), "func @f(%x: index [0, 9]) {\n"
                       "  %a = add(%x, %x) : index\n"
                       "  %c = mul(%a, %a) : index\n"
                       "  return %c\n"
                       "}\n");
}

TEST_F(ParserTest, AcceptedSpellingsPrintCanonically) {
  EXPECT_EQ(roundTrip("kernel @k(%p: ptr<float, global>) attributes "
                      "{applied_opts = [], opts = [upcast(0, 4)]} {\n"
                      "  %n = CONST 0x10 : int\n"
                      "  %r = RANGE(%n) {kind = reduce, axis = 1} : int\n"
                      "  %v = reduce_axis(%p) {axes = (1, 0), op = ADD} : "
                      "ptr<float, global>\n"
                      "  %s = SINK(%r, %v) : void\n"
                      "}\n"),
            "kernel @k(%p: ptr<f32, global>) attributes {opts = [upcast(0, "
            "4)], applied_opts = []} {\n"
            "  %n = const 16 : i32\n"
            "  %r = range(%n) {axis = 1, kind = reduce} : i32\n"
            "  %v = reduce_axis(%p) {op = add, axes = [1, 0]} : ptr<f32, "
            "global>\n"
            "  sink(%r, %v) : void\n"
            "}\n");
}

TEST_F(ParserTest, UnnamedAndCollidingLinesGetFreshNumbers) {
  // `%1` is taken by a written name, so the unnamed lines get %0 and %2.
  EXPECT_EQ(roundTrip("kernel @k() {\n"
                      "  barrier() : void\n"
                      "  %1 = group() : void\n"
                      "  noop(%1) : void\n"
                      "  sink() : void\n"
                      "}\n"),
            "kernel @k() {\n"
            "  %0 = barrier() : void\n"
            "  %1 = group() : void\n"
            "  %2 = noop(%1) : void\n"
            "  sink() : void\n"
            "}\n");
}

TEST_F(ParserTest, RepeatedSinkStillEndsTheKernel) {
  EXPECT_EQ(roundTrip("kernel @k() {\n"
                      "  %s = sink() : void\n"
                      "  %b = barrier() : void\n"
                      "  sink() : void\n"
                      "}\n"),
            "kernel @k() {\n"
            "  %b = barrier() : void\n"
            "  sink() : void\n"
            "}\n");
}

TEST_F(ParserTest, PrinterNamesUOpsBuiltByPasses) {
  auto M = std::make_unique<Module>(Ctx);
  auto F = std::make_unique<Function>(Function::Kind::Func, "g");
  DType Index = Ctx.getScalar(ScalarKind::Index);
  const Arg *Fields[] = {Ctx.getStringArg("n"), Ctx.getIntArg(1),
                         Ctx.getIntArg(64)};
  const UOp *N = Ctx.get(Op::DefineVar, Index, {}, Ctx.getListArg(Fields));
  F->Params.push_back(N);
  const UOp *Two = Ctx.getConst(Index, 2);
  F->setRoot(Ctx.get(Op::Mul, Index, {N, Two}));
  M->Functions.push_back(std::move(F));
  std::string Text = print(*M);
  EXPECT_EQ(Text, "func @g(%n: index [1, 64]) {\n"
                  "  %0 = const 2 : index\n"
                  "  %1 = mul(%n, %0) : index\n"
                  "  return %1\n"
                  "}\n");
  EXPECT_EQ(roundTrip(Text), Text);
}

TEST_F(ParserTest, ModuleItemsPrintInCanonicalOrder) {
  std::string Text = roundTrip("main { call @k(@b, 7, -1) }\n"
                               "kernel @k(%p: ptr<f32, global, 4>) {\n"
                               "  sink() : void\n"
                               "}\n"
                               "buffer @b : ptr<f32, global, 4>\n"
                               "buffer @c : ptr<f32, global, 4>\n");
  EXPECT_EQ(Text, "buffer @b : ptr<f32, global, 4>\n"
                  "buffer @c : ptr<f32, global, 4>\n"
                  "\n"
                  "kernel @k(%p: ptr<f32, global, 4>) {\n"
                  "  sink() : void\n"
                  "}\n"
                  "\n"
                  "main {\n"
                  "  call @k(@b, 7, -1)\n"
                  "}\n");
}

TEST_F(ParserTest, EmptyInputIsAnEmptyModule) {
  EXPECT_EQ(roundTrip(""), "");
  EXPECT_EQ(roundTrip("// only a comment\n\n"), "");
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

uint64_t bitsOf(double D) {
  uint64_t Bits;
  std::memcpy(&Bits, &D, sizeof(Bits));
  return Bits;
}

TEST_F(ParserTest, IntegerConstantsFitTheirType) {
  EXPECT_EQ(parseConst("-128", "i8")->getInt(), -128);
  EXPECT_EQ(parseConst("255", "u8")->getInt(), 255);
  EXPECT_EQ(parseConst("0xff", "u8")->getInt(), 255);
  EXPECT_EQ(parseConst("18446744073709551615", "u64")->getInt(), -1);
  EXPECT_EQ(parseConst("-9223372036854775808", "index")->getInt(), INT64_MIN);
  EXPECT_EQ(parseConst("010", "i32")->getInt(), 10); // decimal, not octal
  EXPECT_TRUE(parseConst("1", "bool")->getBool());
  EXPECT_FALSE(parseConst("false", "bool")->getBool());
  EXPECT_EQ(parseConst("128", "i8"), nullptr);
  EXPECT_EQ(parseConst("-1", "u64"), nullptr);
  EXPECT_EQ(parseConst("18446744073709551616", "u64"), nullptr);
  EXPECT_EQ(parseConst("2", "bool"), nullptr);
}

TEST_F(ParserTest, FloatConstantsAreRoundedToTheirType) {
  EXPECT_EQ(parseConst("0.1", "f32")->getFloat(), double(0.1f));
  EXPECT_EQ(parseConst("0.1", "f64")->getFloat(), 0.1);
  EXPECT_EQ(parseConst("0x1.8p+1", "f16")->getFloat(), 3.0);
  EXPECT_EQ(parseConst("7", "f32")->getFloat(), 7.0);
  EXPECT_EQ(parseConst("1e-46", "f32")->getFloat(), 0.0); // underflows to 0
  EXPECT_EQ(parseConst("65520", "f16"), nullptr);         // overflows
  EXPECT_EQ(parseConst("1000", "fp8e4m3"), nullptr);      // no inf: nan
  EXPECT_EQ(bitsOf(parseConst("-0.0", "f32")->getFloat()), bitsOf(-0.0));
  EXPECT_TRUE(std::isinf(parseConst("-inf", "bf16")->getFloat()));
  EXPECT_TRUE(std::isnan(parseConst("nan", "fp8e5m2")->getFloat()));
}

TEST_F(ParserTest, NaNPayloadsSurviveTheRoundTrip) {
  for (const char *Text : {"nan(0x7FC00001)", "nan(0xFFC00000)"}) {
    std::string Kernel = "func @f() {\n  %c = const " + std::string(Text) +
                         " : f32\n  return %c\n}\n";
    EXPECT_EQ(roundTrip(Kernel), Kernel);
  }
  EXPECT_EQ(parseConst("nan(0x7f800001)", "f32"), nullptr); // signaling
  EXPECT_EQ(parseConst("nan(0x1ffff)", "f16"), nullptr);    // too wide
}

TEST_F(ParserTest, FloatsPrintShortestInTheirType) {
  auto PrintAs = [&](double Value, ScalarKind K) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    printArgValue(*Ctx.getFloatArg(Value), ArgType::Const, K, OS);
    return S;
  };
  EXPECT_EQ(PrintAs(double(0.1f), ScalarKind::F32), "0.1");
  EXPECT_EQ(PrintAs(double(0.1f), ScalarKind::F64), "0.10000000149011612");
  EXPECT_EQ(PrintAs(1e30, ScalarKind::F64), "1.0e+30");
  EXPECT_EQ(PrintAs(65504.0, ScalarKind::F32), "65504.0");
  EXPECT_EQ(PrintAs(1e-5, ScalarKind::F64), "1.0e-5");
  EXPECT_EQ(PrintAs(0.001, ScalarKind::F64), "0.001");
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, TypesParseToInternedDTypes) {
  DType F32 = Ctx.getScalar(ScalarKind::F32);
  EXPECT_EQ(parseType("float", Ctx), F32);
  EXPECT_EQ(parseType("vec<f32, 4>", Ctx), Ctx.getVector(F32, 4));
  EXPECT_EQ(parseType("ptr<f32, local>", Ctx),
            Ctx.getPointer(F32, AddrSpace::Local));
  EXPECT_EQ(parseType("ptr<vec<f32, 4>, global, 16>", Ctx),
            Ctx.getPointer(Ctx.getVector(F32, 4), AddrSpace::Global, 16));
  EXPECT_EQ(parseType("image<f16, 64, 128>", Ctx),
            Ctx.getImage(ScalarKind::F16, 64, 128));
  EXPECT_EQ(parseType("ptr<f32, shared>", Ctx), std::nullopt);
  EXPECT_EQ(parseType("f32 f32", Ctx), std::nullopt);
  EXPECT_EQ(parseType("vec<f32, 4", Ctx), std::nullopt);
}

TEST_F(ParserTest, DeepTypeNestingIsAnErrorNotACrash) {
  std::string Deep;
  for (int I = 0; I < 10000; ++I)
    Deep += "ptr<";
  EXPECT_EQ(diagnose("buffer @b : " + Deep), "1:145: type nesting is too deep");
}

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, ErrorsPointAtTheOffendingToken) {
  EXPECT_EQ(diagnose("kernel @k() {\n  %x = foo : f32\n}"),
            "2:8: unknown op 'foo'");
  EXPECT_EQ(diagnose("kernel @k() {\n  sink(%y) : void\n}"),
            "2:8: use of undefined value '%y'");
  EXPECT_EQ(diagnose("func @f(%x: index [0, 1]) {\n  %x = const 1 : index\n"
                     "  return %x\n}"),
            "2:3: redefinition of value '%x'");
  EXPECT_EQ(diagnose("func @f() {\n  %c = const 300 : u8\n  return %c\n}"),
            "2:14: integer literal 300 does not fit in type u8");
  EXPECT_EQ(diagnose("kernel @k() {\n  %r = range() {axis = 0} : index\n}"),
            "2:8: op 'range' requires argument field 'kind'");
  EXPECT_EQ(diagnose("kernel @k() {\n  %x = sink() : f33\n}"),
            "2:17: unknown type 'f33'");
  EXPECT_EQ(diagnose("kernel @k() {\n  # \n}"), "2:3: invalid character '#'");
  EXPECT_EQ(diagnose("kernel @k() {\n  %x = barrier() : void\n}"),
            "2:3: kernel body must end with a sink");
  EXPECT_EQ(diagnose("kernel @k(%p ptr<f32, global>) {}"),
            "1:14: expected ':' after value name");
  EXPECT_EQ(diagnose("buffer @a : f32\nkernel @a() {}"),
            "2:8: redefinition of symbol '@a'");
}

TEST_F(ParserTest, TheFirstErrorInSourceOrderWins) {
  // The lexer has already seen `#` when `%y` turns out undefined.
  EXPECT_EQ(diagnose("kernel @k() { sink(%y#) : void }"),
            "1:20: use of undefined value '%y'");
  EXPECT_EQ(diagnose("kernel @k() { sink(\"abc) : void }"),
            "1:20: unterminated string");
}

TEST_F(ParserTest, EveryPrefixParsesOrGivesOneError) {
  std::string Text = std::string("buffer @b : ptr<f32, global, 4>\n") + AddOne +
                     "main {\n  call @add_one(@b, @b)\n}\n";
  for (size_t Length = 0; Length <= Text.size(); ++Length) {
    Errors.clear();
    std::unique_ptr<Module> M = parse(llvm::StringRef(Text).take_front(Length));
    EXPECT_EQ(Errors.size(), M ? 0u : 1u) << "prefix of length " << Length;
  }
}

} // namespace
