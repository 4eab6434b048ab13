// Differential of the MIR float opcodes against wasm run by the wabt interpreter, one opcode per wasm function, on edge and random bits.
#include "arm/select/oracle.h"
#include "arm/select/wasm_load.h"
#include "core/ir/interp.h"
#include "core/ir/tests/float_harness.h"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <random>
#include <string>

using namespace vcr;
using mir::Cond;
using mir::Opcode;
using mir::RegClass;

namespace {

/// A float opcode, its fset condition, and the wasm instruction computing it.
struct Case {
  Opcode op;
  Cond cc;
  const char *wasm;
};

const Case kCases[] = {
    {Opcode::FAdd32, Cond::None, "f32.add"}, {Opcode::FSub32, Cond::None, "f32.sub"},
    {Opcode::FMul32, Cond::None, "f32.mul"}, {Opcode::FDiv32, Cond::None, "f32.div"},
    {Opcode::FMin32, Cond::None, "f32.min"}, {Opcode::FMax32, Cond::None, "f32.max"},
    {Opcode::FCopySign32, Cond::None, "f32.copysign"},
    {Opcode::FAdd64, Cond::None, "f64.add"}, {Opcode::FSub64, Cond::None, "f64.sub"},
    {Opcode::FMul64, Cond::None, "f64.mul"}, {Opcode::FDiv64, Cond::None, "f64.div"},
    {Opcode::FMin64, Cond::None, "f64.min"}, {Opcode::FMax64, Cond::None, "f64.max"},
    {Opcode::FCopySign64, Cond::None, "f64.copysign"},
    {Opcode::FSqrt32, Cond::None, "f32.sqrt"}, {Opcode::FAbs32, Cond::None, "f32.abs"},
    {Opcode::FNeg32, Cond::None, "f32.neg"}, {Opcode::FCeil32, Cond::None, "f32.ceil"},
    {Opcode::FFloor32, Cond::None, "f32.floor"}, {Opcode::FTrunc32, Cond::None, "f32.trunc"},
    {Opcode::FNearest32, Cond::None, "f32.nearest"},
    {Opcode::FSqrt64, Cond::None, "f64.sqrt"}, {Opcode::FAbs64, Cond::None, "f64.abs"},
    {Opcode::FNeg64, Cond::None, "f64.neg"}, {Opcode::FCeil64, Cond::None, "f64.ceil"},
    {Opcode::FFloor64, Cond::None, "f64.floor"}, {Opcode::FTrunc64, Cond::None, "f64.trunc"},
    {Opcode::FNearest64, Cond::None, "f64.nearest"},
    {Opcode::FSet32, Cond::Eq, "f32.eq"}, {Opcode::FSet32, Cond::Ne, "f32.ne"},
    {Opcode::FSet32, Cond::SLt, "f32.lt"}, {Opcode::FSet32, Cond::SGt, "f32.gt"},
    {Opcode::FSet32, Cond::SLe, "f32.le"}, {Opcode::FSet32, Cond::SGe, "f32.ge"},
    {Opcode::FSet64, Cond::Eq, "f64.eq"}, {Opcode::FSet64, Cond::Ne, "f64.ne"},
    {Opcode::FSet64, Cond::SLt, "f64.lt"}, {Opcode::FSet64, Cond::SGt, "f64.gt"},
    {Opcode::FSet64, Cond::SLe, "f64.le"}, {Opcode::FSet64, Cond::SGe, "f64.ge"},
    {Opcode::FSel32, Cond::None, "select"}, {Opcode::FSel64, Cond::None, "select"},
    {Opcode::FPromote, Cond::None, "f64.promote_f32"}, {Opcode::FDemote, Cond::None, "f32.demote_f64"},
    {Opcode::FCvtF32S32, Cond::None, "f32.convert_i32_s"}, {Opcode::FCvtF32U32, Cond::None, "f32.convert_i32_u"},
    {Opcode::FCvtF32S64, Cond::None, "f32.convert_i64_s"}, {Opcode::FCvtF32U64, Cond::None, "f32.convert_i64_u"},
    {Opcode::FCvtF64S32, Cond::None, "f64.convert_i32_s"}, {Opcode::FCvtF64U32, Cond::None, "f64.convert_i32_u"},
    {Opcode::FCvtF64S64, Cond::None, "f64.convert_i64_s"}, {Opcode::FCvtF64U64, Cond::None, "f64.convert_i64_u"},
    {Opcode::FTruncS32F32, Cond::None, "i32.trunc_f32_s"}, {Opcode::FTruncU32F32, Cond::None, "i32.trunc_f32_u"},
    {Opcode::FTruncS64F32, Cond::None, "i64.trunc_f32_s"}, {Opcode::FTruncU64F32, Cond::None, "i64.trunc_f32_u"},
    {Opcode::FTruncS32F64, Cond::None, "i32.trunc_f64_s"}, {Opcode::FTruncU32F64, Cond::None, "i32.trunc_f64_u"},
    {Opcode::FTruncS64F64, Cond::None, "i64.trunc_f64_s"}, {Opcode::FTruncU64F64, Cond::None, "i64.trunc_f64_u"},
    {Opcode::FTruncSatS32F32, Cond::None, "i32.trunc_sat_f32_s"},
    {Opcode::FTruncSatU32F32, Cond::None, "i32.trunc_sat_f32_u"},
    {Opcode::FTruncSatS64F32, Cond::None, "i64.trunc_sat_f32_s"},
    {Opcode::FTruncSatU64F32, Cond::None, "i64.trunc_sat_f32_u"},
    {Opcode::FTruncSatS32F64, Cond::None, "i32.trunc_sat_f64_s"},
    {Opcode::FTruncSatU32F64, Cond::None, "i32.trunc_sat_f64_u"},
    {Opcode::FTruncSatS64F64, Cond::None, "i64.trunc_sat_f64_s"},
    {Opcode::FTruncSatU64F64, Cond::None, "i64.trunc_sat_f64_u"},
};

/// The wasm function computing case `c` on the words opFunction takes.
std::string watFunction(const Case &c, const mir::Function &f) {
  std::string params, results, args;
  for (mir::ValType t : f.sig.params) params += t == mir::ValType::I64 ? " i64" : " i32";
  for (mir::ValType t : f.sig.results) results += t == mir::ValType::I64 ? " i64" : " i32";
  mir::Instr probe;
  probe.op = c.op;
  const mir::OpcodeInfo &oi = mir::info(c.op);
  const bool pair = f.sig.params.size() == 1 && oi.nuses == 2;
  std::vector<std::string> ops;
  for (size_t k = 0; k < f.sig.params.size(); ++k) {
    const std::string get = "(local.get " + std::to_string(k) + ")";
    const auto cls = pair ? RegClass::Core : *mir::operandClass(probe, false, k);
    ops.push_back(cls == RegClass::F32   ? "(f32.reinterpret_i32 " + get + ")"
                  : cls == RegClass::F64 ? "(f64.reinterpret_i64 " + get + ")"
                                         : get);
  }
  if (c.op == Opcode::FSel32 || c.op == Opcode::FSel64) std::rotate(ops.begin(), ops.begin() + 1, ops.end());
  std::string body = std::string("(") + c.wasm;
  for (const std::string &o : ops) body += " " + o;
  body += ")";
  const RegClass rc = *mir::operandClass(probe, true, 0);
  if (oi.ndefs == 1 && rc == RegClass::F32) body = "(i32.reinterpret_f32 " + body + ")";
  if (oi.ndefs == 1 && rc == RegClass::F64) body = "(i64.reinterpret_f64 " + body + ")";
  return "  (func (param" + params + ") (result" + results + ")\n    " + body + ")\n";
}

uint64_t edgeOrRandom(std::mt19937_64 &rng, bool wide) {
  static const uint64_t e32[] = {0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x7f800000u, 0xff800000u,
                                 0x7fc00000u, 0xffc00001u, 0x7f7fffffu, 1, 0x4f000000u, 0xcf000000u,
                                 0x4f800000u, 0x5f000000u, 0xdf000000u, 0x5f800000u, 0x3f000000u,
                                 0x3fc00000u, 0x40200000u, 0xffffffffu, 0x7fffffffu, 0x4b800001u};
  static const uint64_t e64[] = {0, uint64_t{1} << 63, 0x3ff0000000000000ull, 0xbff0000000000000ull,
                                 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                                 0xfff8000000000001ull, 0x7fefffffffffffffull, 1, 0x41e0000000000000ull,
                                 0xc1e0000000000000ull, 0x41f0000000000000ull, 0x43e0000000000000ull,
                                 0xc3e0000000000000ull, 0x43f0000000000000ull, 0x3fe0000000000000ull,
                                 0x41dfffffffffffffull, 0xc1e0000000200000ull, 0x3ff0000010000000ull,
                                 ~uint64_t{0}, 0x36a0000000000000ull};
  switch (rng() % 3) {
  case 0: return wide ? e64[rng() % std::size(e64)] : e32[rng() % std::size(e32)];
  case 1: {  // integer-valued or half-way values, and big integers for conversions
    const double x = static_cast<double>(static_cast<int64_t>(rng() % 4001) - 2000) / 2.0;
    return wide ? std::bit_cast<uint64_t>(x) : std::bit_cast<uint32_t>(static_cast<float>(x));
  }
  default: return wide ? rng() : rng() & 0xffffffffu;
  }
}

bool bothNaN(RegClass rc, uint64_t a, uint64_t b) {
  if (rc == RegClass::F32)
    return std::isnan(std::bit_cast<float>(static_cast<uint32_t>(a))) &&
           std::isnan(std::bit_cast<float>(static_cast<uint32_t>(b)));
  if (rc == RegClass::F64) return std::isnan(std::bit_cast<double>(a)) && std::isnan(std::bit_cast<double>(b));
  return false;
}

}  // namespace

TEST_CASE("float opcodes agree with wabt's wasm semantics on edge and random bit patterns") {
  std::string wat = "(module\n";
  std::vector<mir::Function> fns;
  for (const Case &c : kCases) {
    fns.push_back(mir::test::opFunction(c.op, c.cc));
    wat += watFunction(c, fns.back());
  }
  wat += ")\n";
  Diagnostics diags;
  auto bin = select::watToWasm(wat, "floats.wat", diags);
  std::string all;
  for (const auto &d : diags) all += d.str() + "\n";
  INFO(all);
  INFO(wat);
  REQUIRE(bin);
  auto oracle = select::Oracle::create(*bin, diags);
  REQUIRE(oracle);
  std::mt19937_64 rng(7);
  unsigned compared = 0;
  for (size_t i = 0; i < std::size(kCases); ++i) {
    const Case &c = kCases[i];
    CAPTURE(c.wasm);
    mir::Module m;
    m.functions.push_back(fns[i]);
    mir::Instr probe;
    probe.op = c.op;
    const RegClass rc = *mir::operandClass(probe, true, 0);
    for (unsigned round = 0; round < 200; ++round) {
      std::vector<uint64_t> args;
      for (mir::ValType t : fns[i].sig.params) args.push_back(edgeOrRandom(rng, t == mir::ValType::I64));
      CAPTURE(args);
      mir::ExecEnv env;
      const mir::ExecResult got = mir::execute(m, "t", args, env);
      const select::OracleRun want = oracle->run(static_cast<uint32_t>(i), args, {}, {});
      if (want.status == select::OracleRun::Status::Trapped) {
        CHECK(got.status == mir::ExecResult::Status::Trapped);
        CHECK(got.trap == want.reason);
        continue;
      }
      REQUIRE(want.status == select::OracleRun::Status::Returned);
      INFO(got.error);
      REQUIRE(got.status == mir::ExecResult::Status::Returned);
      if (!bothNaN(rc, got.results[0], want.results[0])) CHECK(got.results[0] == want.results[0]);
      ++compared;
    }
  }
  CHECK(compared > 10000);
}
