//===- HostData.cpp - tg-run's buffers: inputs, .npy files, comparing -----===//

#include "HostData.h"

#include "tg/IR/Op.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace tg;
using namespace tg::run;

static llvm::Error fail(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// A double uniform in [-1, 1) from 53 random bits (exact: k * 2^-52 - 1).
/// std::uniform_real_distribution computes a long double logarithm per
/// value, which made the input of a large benchmark slower to fill than the
/// interpreter to check.
static double uniform(std::mt19937_64 &Rng) {
  return double(Rng() >> 11) * 0x1p-52 - 1.0;
}

void run::fillRandom(HostBuffer &B, std::mt19937_64 &Rng) {
  DType Scalar = B.Element.getScalarType();
  ScalarKind K = Scalar.getScalarKind();
  std::uniform_int_distribution<int64_t> Signed(-8, 8), Unsigned(0, 15),
      Bit(0, 1);
  // f32 and f64 (the large benchmark inputs) straight into the bytes: the
  // same values as the general path below, tens of times faster.
  int64_t Lanes = B.Count * B.Element.getCount();
  if (K == ScalarKind::F32 || K == ScalarKind::F64) {
    for (int64_t I = 0; I != Lanes; ++I) {
      double D = uniform(Rng);
      if (K == ScalarKind::F32) {
        float F = float(D);
        std::memcpy(B.Bytes.data() + I * sizeof F, &F, sizeof F);
      } else {
        std::memcpy(B.Bytes.data() + I * sizeof D, &D, sizeof D);
      }
    }
    return;
  }
  for (int64_t I = 0; I != B.Count; ++I)
    for (unsigned L = 0, E = B.Element.getCount(); L != E; ++L) {
      ConstValue V;
      if (Scalar.isFloat())
        V = *evalAlu(Op::Cast, K, ScalarKind::F64,
                     {ConstValue::getFloat(uniform(Rng))});
      else if (Scalar.isBool())
        V = ConstValue::getBool(Bit(Rng));
      else if (Scalar.isSigned())
        V = ConstValue::getInt(Signed(Rng));
      else
        V = ConstValue::getInt(Unsigned(Rng));
      B.set(I, V, L);
    }
}

llvm::Expected<std::string> run::getNumpyDType(DType Element) {
  switch (Element.getScalarKind()) {
  case ScalarKind::Bool:
    return std::string("|b1");
  case ScalarKind::I8:
    return std::string("|i1");
  case ScalarKind::U8:
    return std::string("|u1");
  case ScalarKind::I16:
    return std::string("<i2");
  case ScalarKind::U16:
    return std::string("<u2");
  case ScalarKind::I32:
    return std::string("<i4");
  case ScalarKind::U32:
    return std::string("<u4");
  case ScalarKind::I64:
  case ScalarKind::Index:
    return std::string("<i8");
  case ScalarKind::U64:
    return std::string("<u8");
  case ScalarKind::F16:
    return std::string("<f2");
  case ScalarKind::F32:
    return std::string("<f4");
  case ScalarKind::F64:
    return std::string("<f8");
  default:
    return fail("numpy has no dtype for " + Element.str());
  }
}

/// The header dictionary of a .npy file: `{'descr': ..., 'fortran_order':
/// False, 'shape': (...), }`, padded so the data starts 64-byte aligned.
llvm::Error run::writeNpy(llvm::StringRef Path, const HostBuffer &B) {
  llvm::Expected<std::string> DType = getNumpyDType(B.Element);
  if (!DType)
    return DType.takeError();
  std::string Shape = std::to_string(B.Count) + ",";
  if (B.Element.getCount() > 1)
    Shape =
        std::to_string(B.Count) + ", " + std::to_string(B.Element.getCount());
  std::string Header = "{'descr': '" + *DType +
                       "', 'fortran_order': False, 'shape': (" + Shape + "), }";
  size_t Total = 10 + Header.size() + 1;
  Header.append((64 - Total % 64) % 64, ' ');
  Header += '\n';
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return fail("cannot write '" + Path + "': " + EC.message());
  OS << "\x93NUMPY" << char(1) << char(0) << char(Header.size() & 0xff)
     << char(Header.size() >> 8) << Header;
  OS.write(reinterpret_cast<const char *>(B.Bytes.data()), B.Bytes.size());
  return llvm::Error::success();
}

llvm::Error run::readNpy(llvm::StringRef Path, HostBuffer &B) {
  auto File = llvm::MemoryBuffer::getFile(Path);
  if (!File)
    return fail("cannot read '" + Path + "': " + File.getError().message());
  llvm::StringRef Data = (*File)->getBuffer();
  if (!Data.starts_with("\x93NUMPY") || Data.size() < 10)
    return fail("'" + Path + "' is not a .npy file");
  unsigned Major = uint8_t(Data[6]);
  size_t HeaderSize, Start;
  if (Major == 1) {
    HeaderSize = uint8_t(Data[8]) | uint8_t(Data[9]) << 8;
    Start = 10;
  } else {
    if (Data.size() < 12)
      return fail("'" + Path + "' is truncated");
    HeaderSize = uint32_t(uint8_t(Data[8])) | uint32_t(uint8_t(Data[9])) << 8 |
                 uint32_t(uint8_t(Data[10])) << 16 |
                 uint32_t(uint8_t(Data[11])) << 24;
    Start = 12;
  }
  if (Start + HeaderSize > Data.size())
    return fail("'" + Path + "' is truncated");
  llvm::StringRef Header = Data.substr(Start, HeaderSize);
  llvm::Expected<std::string> Want = getNumpyDType(B.Element);
  if (!Want)
    return Want.takeError();
  // A native-endian or byte-order-free descr matches too (`=f4`, `|u1`).
  std::string Descr;
  if (size_t At = Header.find("'descr':"); At != llvm::StringRef::npos) {
    llvm::StringRef Rest = Header.substr(At + 8).ltrim();
    if (Rest.consume_front("'"))
      Descr = Rest.take_until([](char C) { return C == '\''; }).str();
  }
  auto Body = [](llvm::StringRef D) { return D.drop_front(); };
  if (Descr.size() < 2 || Body(Descr) != Body(*Want))
    return fail("'" + Path + "' holds dtype '" + Descr + "', the buffer is " +
                B.Element.str() + " ('" + *Want + "')");
  if (Header.contains("'fortran_order': True"))
    return fail("'" + Path + "' is in Fortran order; save it C-contiguous");
  llvm::StringRef Payload = Data.substr(Start + HeaderSize);
  if (Payload.size() != B.Bytes.size())
    return fail("'" + Path + "' holds " + llvm::Twine(Payload.size()) +
                " bytes of data, the buffer needs " +
                llvm::Twine(B.Bytes.size()) + " (" + llvm::Twine(B.Count) +
                " x " + B.Element.str() + ")");
  std::memcpy(B.Bytes.data(), Payload.data(), Payload.size());
  return llvm::Error::success();
}

run::Tolerance run::Tolerance::forType(DType Element) {
  switch (Element.getScalarKind()) {
  case ScalarKind::F64:
    return {1e-10, 1e-9};
  case ScalarKind::F32:
    return {1e-4, 1e-4};
  case ScalarKind::F16:
    return {1e-2, 1e-2};
  case ScalarKind::BF16:
    return {5e-2, 5e-2};
  case ScalarKind::FP8E4M3:
  case ScalarKind::FP8E5M2:
    return {6e-2, 1.3e-1};
  default:
    return {0, 0};
  }
}

std::string run::format(ConstValue V) {
  if (!V.isFloat())
    return std::to_string(V.getInt());
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format("%.9g", V.getFloat());
  return S;
}

std::optional<Mismatch> run::compare(const HostBuffer &Got,
                                     const HostBuffer &Want, Tolerance Tol) {
  for (int64_t I = 0; I != Want.Count; ++I)
    for (unsigned L = 0, E = Want.Element.getCount(); L != E; ++L) {
      ConstValue A = Got.get(I, L), B = Want.get(I, L);
      bool Same;
      if (!B.isFloat())
        Same = A == B;
      else if (std::isnan(B.getFloat()) || std::isnan(A.getFloat()))
        Same = std::isnan(B.getFloat()) && std::isnan(A.getFloat());
      else if (std::isinf(B.getFloat()))
        Same = A.getFloat() == B.getFloat();
      else
        Same = std::fabs(A.getFloat() - B.getFloat()) <=
               Tol.Atol + Tol.Rtol * std::fabs(B.getFloat());
      if (!Same)
        return Mismatch{I, L, format(A), format(B)};
    }
  return std::nullopt;
}
