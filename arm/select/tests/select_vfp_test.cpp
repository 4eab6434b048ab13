// Selection of floats for cortex-m4f and cortex-m7: the VFP opcodes and runtime calls chosen per operator, and F32/F64 signatures.
#include "arm/select/select.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <string>

using namespace vcr;
using namespace vcr::select;
using mir::Opcode;
using mir::ValType;

namespace {

Selection selectOn(arm::Cpu cpu, const std::string &wat) {
  Diagnostics diags;
  auto bin = watToWasm(wat, "vfp.wat", diags);
  std::string msg = diags.empty() ? std::string() : diags[0].str();
  REQUIRE_MESSAGE(bin, msg);
  SelectOptions opt;
  opt.cpu = cpu;
  auto sel = selectModule(*bin, diags, opt);
  REQUIRE(sel);
  for (const auto &d : sel->declined) FAIL_CHECK(d.function << " declined: " << d.reason);
  for (const auto &f : sel->module.functions) {  // classes consistent, operand counts per signature
    Diagnostics d;
    bool ok = mir::validateFunction(f, sel->module, d);
    std::string why;
    for (const auto &x : d) why += x.str() + "\n";
    std::string msg = why + mir::printFunction(f);
    CHECK_MESSAGE(ok, msg);
  }
  return std::move(*sel);
}

/// The operations of `name`, in order: mnemonics (fset with its condition),
/// `call:callee`; moves, param, branches and ret left out.
std::string trace(const Selection &s, const std::string &name) {
  const mir::Function *f = s.module.findFunction(name);
  if (!f) return "<no function " + name + ">";
  std::string out;
  for (const auto &b : f->blocks)
    for (const auto &in : b.instrs) {
      if (in.op == Opcode::Mov || in.op == Opcode::Param || in.isTerminator()) continue;
      std::string t = in.op == Opcode::Call ? "call:" + in.callee : std::string(mir::info(in.op).mnemonic);
      if (in.op == Opcode::FSet32 || in.op == Opcode::FSet64) t += ":" + std::string(mir::condName(in.cc));
      out += (out.empty() ? "" : " ") + t;
    }
  return out;
}

mir::Signature sigOf(const Selection &s, const std::string &name) {
  const mir::Function *f = s.module.findFunction(name);
  return f ? f->sig : mir::Signature{};
}

/// One function per operator class, the same text for both CPUs.
const char *kOps = R"((module
  (import "env" "fimp" (func $fimp (param f32 f64 i32) (result f64)))
  (type $ff (func (param f32) (result f32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $neg32)
  (global $gf (mut f32) (f32.const 1.5))
  (global $gd (mut f64) (f64.const 2))
  (func $add32 (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func $div32 (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func $sqrt32 (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func $neg32 (param f32) (result f32) (f32.neg (local.get 0)))
  (func $abs32 (param f32) (result f32) (f32.abs (local.get 0)))
  (func $copysign32 (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
  (func $min32 (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func $max64 (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
  (func $ceil32 (param f32) (result f32) (f32.ceil (local.get 0)))
  (func $nearest64 (param f64) (result f64) (f64.nearest (local.get 0)))
  (func $lt32 (param f32 f32) (result i32) (f32.lt (local.get 0) (local.get 1)))
  (func $ne32 (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
  (func $ge64 (param f64 f64) (result i32) (f64.ge (local.get 0) (local.get 1)))
  (func $add64 (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func $abs64 (param f64) (result f64) (f64.abs (local.get 0)))
  (func $cvt_u32 (param i32) (result f32) (f32.convert_i32_u (local.get 0)))
  (func $cvt_s64 (param i64) (result f32) (f32.convert_i64_s (local.get 0)))
  (func $cvt_d_s32 (param i32) (result f64) (f64.convert_i32_s (local.get 0)))
  (func $trunc_s32 (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func $sat_u32 (param f32) (result i32) (i32.trunc_sat_f32_u (local.get 0)))
  (func $trunc_s64 (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
  (func $trunc_d_u32 (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
  (func $promote (param f32) (result f64) (f64.promote_f32 (local.get 0)))
  (func $demote (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func $bits32 (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func $from_bits32 (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func $bits64 (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func $k32 (result f32) (f32.const 1.5))
  (func $k64 (result f64) (f64.const 2))
  (func $ld32 (param i32) (result f32) (f32.load offset=4 (local.get 0)))
  (func $ld64 (param i32) (result f64) (f64.load (local.get 0)))
  (func $st32 (param i32 f32) (f32.store (local.get 0) (local.get 1)))
  (func $st64 (param i32 f64) (f64.store (local.get 0) (local.get 1)))
  (func $gget32 (result f32) (global.get $gf))
  (func $gset64 (param f64) (global.set $gd (local.get 0)))
  (func $sel32 (param f32 f32 i32) (result f32) (select (local.get 0) (local.get 1) (local.get 2)))
  (func $sel64 (param f64 f64 i32) (result f64) (select (local.get 0) (local.get 1) (local.get 2)))
  (func $local32 (result f32) (local f32) (local.get 0))
  (func $if32 (param i32 f32) (result f32)
    (if (result f32) (local.get 0) (then (local.get 1)) (else (f32.const 2))))
  (func $callimp (param f32 f64) (result f64) (call $fimp (local.get 0) (local.get 1) (i32.const 3)))
  (func $calli (param f32) (result f32) (call_indirect (type $ff) (local.get 0) (i32.const 0)))
  (func $ident32 (param f32) (result f32) (local.get 0))
))";

}  // namespace

TEST_CASE("cortex-m4f: f32 on the FPU, f64 as soft-float words, F32 and F64 in signatures") {
  const Selection s = selectOn(arm::Cpu::CortexM4F, kOps);
  CHECK(s.module.functions.size() == 42);
  // signatures: one F32 / F64 operand per value (AAPCS-VFP), imports and calli types too
  CHECK(sigOf(s, "add32").params == std::vector<ValType>{ValType::F32, ValType::F32});
  CHECK(sigOf(s, "add32").results == std::vector<ValType>{ValType::F32});
  CHECK(sigOf(s, "add64").params == std::vector<ValType>{ValType::F64, ValType::F64});
  CHECK(sigOf(s, "bits64").results == std::vector<ValType>{ValType::I64});
  REQUIRE(s.module.imports.size() == 1);
  CHECK(s.module.imports[0].sig.params == std::vector<ValType>{ValType::F32, ValType::F64, ValType::I32});
  CHECK(s.module.imports[0].sig.results == std::vector<ValType>{ValType::F64});
  REQUIRE(s.module.types.size() == 1);
  CHECK(s.module.types[0].params == std::vector<ValType>{ValType::F32});
  // f32: VFP instructions
  CHECK(trace(s, "add32") == "fadd.f32");
  CHECK(trace(s, "div32") == "fdiv.f32");
  CHECK(trace(s, "sqrt32") == "fsqrt.f32");
  CHECK(trace(s, "neg32") == "fneg.f32");
  CHECK(trace(s, "abs32") == "fabs.f32");
  CHECK(trace(s, "copysign32") == "fcopysign.f32");
  CHECK(trace(s, "lt32") == "fset.f32:slt");
  CHECK(trace(s, "ne32") == "fset.f32:ne");
  CHECK(trace(s, "cvt_u32") == "fcvt.f32.u32");
  CHECK(trace(s, "trunc_s32") == "ftrunc.s32.f32");
  CHECK(trace(s, "sat_u32") == "ftruncsat.u32.f32");
  CHECK(trace(s, "bits32") == "fmovtoint.f32");
  CHECK(trace(s, "from_bits32") == "fmovfromint.f32");
  CHECK(trace(s, "k32") == "fconst.f32");
  CHECK(trace(s, "ld32") == "fload.f32");
  CHECK(trace(s, "st32") == "fstore.f32");
  CHECK(trace(s, "gget32") == "gget fmovfromint.f32");
  CHECK(trace(s, "sel32") == "fsel.f32");
  CHECK(trace(s, "local32") == "fconst.f32");
  CHECK(trace(s, "if32") == "fconst.f32");
  CHECK(trace(s, "ident32").empty());
  CHECK(trace(s, "calli") == "movi calli");
  // f32 operations FPv4 lacks: the cortex-m4 routine on core words
  CHECK(trace(s, "min32") == "fmovtoint.f32 fmovtoint.f32 call:__vcr_fp_fmin fmovfromint.f32");
  CHECK(trace(s, "ceil32") == "fmovtoint.f32 call:__vcr_fp_fceil fmovfromint.f32");
  CHECK(trace(s, "cvt_s64") == "call:__aeabi_l2f fmovfromint.f32");
  CHECK(trace(s, "trunc_s64") == "fmovtoint.f32 call:__vcr_fp_f2l_s");
  // f64: words computed as on cortex-m4, F64 only at the boundaries (D registers)
  CHECK(trace(s, "add64") == "fmovtoint.f64 fmovtoint.f64 call:__vcr_fp_dadd fmovfromint.f64");
  CHECK(trace(s, "max64") == "fmovtoint.f64 fmovtoint.f64 call:__vcr_fp_dmax fmovfromint.f64");
  CHECK(trace(s, "nearest64") == "fmovtoint.f64 call:__vcr_fp_dnearest fmovfromint.f64");
  CHECK(trace(s, "abs64") == "fmovtoint.f64 and fmovfromint.f64");
  CHECK(trace(s, "ge64") == "fmovtoint.f64 fmovtoint.f64 call:__aeabi_dcmpge");
  CHECK(trace(s, "cvt_d_s32") == "call:__aeabi_i2d fmovfromint.f64");
  CHECK(trace(s, "trunc_d_u32") == "fmovtoint.f64 call:__vcr_fp_d2i_u");
  CHECK(trace(s, "promote") == "fmovtoint.f32 call:__aeabi_f2d fmovfromint.f64");
  CHECK(trace(s, "demote") == "fmovtoint.f64 call:__aeabi_d2f fmovfromint.f32");
  CHECK(trace(s, "bits64") == "fmovtoint.f64");
  CHECK(trace(s, "k64") == "movi movi fmovfromint.f64");
  CHECK(trace(s, "ld64") == "load64 fmovfromint.f64");
  CHECK(trace(s, "st64") == "fmovtoint.f64 store64");
  CHECK(trace(s, "gset64") == "fmovtoint.f64 gset gset");
  CHECK(trace(s, "sel64") == "fmovtoint.f64 fmovtoint.f64 sel sel fmovfromint.f64");
  CHECK(trace(s, "callimp") == "fmovtoint.f64 movi fmovfromint.f64 call:env.fimp fmovtoint.f64 fmovfromint.f64");
}

TEST_CASE("cortex-m7: f32 and f64 on the FPU, runtime calls only for min/max and i64 conversions") {
  const Selection s = selectOn(arm::Cpu::CortexM7, kOps);
  CHECK(s.module.functions.size() == 42);
  CHECK(sigOf(s, "add64").params == std::vector<ValType>{ValType::F64, ValType::F64});
  CHECK(sigOf(s, "promote").results == std::vector<ValType>{ValType::F64});
  CHECK(trace(s, "add32") == "fadd.f32");
  CHECK(trace(s, "ceil32") == "fceil.f32");
  CHECK(trace(s, "min32") == "fmovtoint.f32 fmovtoint.f32 call:__vcr_fp_fmin fmovfromint.f32");
  CHECK(trace(s, "add64") == "fadd.f64");
  CHECK(trace(s, "abs64") == "fabs.f64");
  CHECK(trace(s, "nearest64") == "fnearest.f64");
  CHECK(trace(s, "max64") == "fmovtoint.f64 fmovtoint.f64 call:__vcr_fp_dmax fmovfromint.f64");
  CHECK(trace(s, "ge64") == "fset.f64:sge");
  CHECK(trace(s, "cvt_d_s32") == "fcvt.f64.s32");
  CHECK(trace(s, "trunc_d_u32") == "ftrunc.u32.f64");
  CHECK(trace(s, "trunc_s64") == "fmovtoint.f32 call:__vcr_fp_f2l_s");
  CHECK(trace(s, "cvt_s64") == "call:__aeabi_l2f fmovfromint.f32");
  CHECK(trace(s, "promote") == "fcvt.f64.f32");
  CHECK(trace(s, "demote") == "fcvt.f32.f64");
  CHECK(trace(s, "bits64") == "fmovtoint.f64");
  CHECK(trace(s, "k64") == "fconst.f64");
  CHECK(trace(s, "ld64") == "fload.f64");
  CHECK(trace(s, "st64") == "fstore.f64");
  CHECK(trace(s, "gset64") == "fmovtoint.f64 gset gset");
  CHECK(trace(s, "sel64") == "fsel.f64");
  CHECK(trace(s, "callimp") == "movi call:env.fimp");
}

TEST_CASE("cortex-m4 keeps floats as words: the soft-float signatures are unchanged") {
  const Selection s = selectOn(arm::Cpu::CortexM4, kOps);
  CHECK(sigOf(s, "add32").params == std::vector<ValType>{ValType::I32, ValType::I32});
  CHECK(sigOf(s, "add64").results == std::vector<ValType>{ValType::I64});
  CHECK(trace(s, "add32") == "call:__aeabi_fadd");
  CHECK(trace(s, "sel32") == "sel");
  for (const auto &f : s.module.functions) CHECK_MESSAGE(!mir::usesVfp(f), f.name);
}
