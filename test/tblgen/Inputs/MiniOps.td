// The smallest op vocabulary tg-tblgen accepts; the error tests add one bad
// record to it.
class Trait<string summary> { string Summary = summary; }
def Unary : Trait<"one operand">;
class ArgType<string summary> { string Summary = summary; }
def IntArg : ArgType<"an integer">;
class ArgField<string name, ArgType type> {
  string Name = name;
  ArgType Type = type;
}
class ResultConstraint<string summary> { string Summary = summary; }
def AnyResult : ResultConstraint<"any type">;
class UOp<string mnemonic, list<Trait> traits = []> {
  string Mnemonic = mnemonic;
  list<Trait> Traits = traits;
  int MinOperands = 0;
  int MaxOperands = 0;
  list<ArgField> Args = [];
  bit InlineArg = 0;
  ResultConstraint Result = AnyResult;
  string Summary = ?;
}
def Good : UOp<"good"> { let Summary = "fine"; }
