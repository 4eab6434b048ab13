// Reference interpreter: the executable statement of MIR semantics (docs/mir.md).
#include "core/ir/interp.h"

#include "core/ir/interp_machine.h"
#include "core/ir/interp_ops.h"

namespace vcr::mir {

namespace {
uint64_t splitmix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
}  // namespace

std::vector<uint64_t> mixHost(const Import &imp, std::span<const uint64_t> args) {
  uint64_t h = splitmix(imp.name.size());
  for (char c : imp.name) h = splitmix(h ^ static_cast<uint8_t>(c));
  std::vector<uint64_t> out;
  out.reserve(imp.sig.results.size());
  for (size_t i = 0; i < imp.sig.results.size(); ++i) {
    uint64_t r = splitmix(h ^ (0x100 + i));
    for (uint64_t a : args) r = splitmix(r ^ a);
    out.push_back(words(imp.sig.results[i]) == 1 ? r & 0xffffffffu : r);
  }
  return out;
}

ExecResult execute(const Module &m, std::string_view fn, std::span<const uint64_t> args,
                   ExecEnv &env) {
  ExecResult res;
  res.status = ExecResult::Status::Error;
  const Function *f = m.findFunction(fn);
  if (!f) {
    res.error = "no function @" + std::string(fn) + " in the module";
    return res;
  }
  for (const Function &g : m.functions)
    if (g.allocated != f->allocated) {
      res.error = "module mixes forms: @" + f->name + " is in " +
                  (f->allocated ? "allocated" : "vreg") + " form but @" + g.name + " is not";
      return res;
    }
  if (args.size() != f->sig.params.size()) {
    res.error = "@" + f->name + " takes " + std::to_string(f->sig.params.size()) +
                " arguments, " + std::to_string(args.size()) + " given";
    return res;
  }
  interp_detail::Machine mach(m, env, res);
  try {
    mach.run(static_cast<uint32_t>(f - m.functions.data()), args);
  } catch (const interp_detail::Halt &) {
    res.results.clear();
  }
  mach.finishMemory();
  return res;
}

namespace interp_detail {

using namespace interp_ops;

void Machine::run(uint32_t fi, std::span<const uint64_t> args) {
  alloc_ = m_.functions[fi].allocated;
  memBytes_ = env_.memory.size();
  if (alloc_ && m_.memoryMax && env_.memory.size() < uint64_t(*m_.memoryMax) * 65536) {
    const uint64_t reserve = uint64_t(*m_.memoryMax) * 65536;  // the image is reserved at the maximum
    if (reserve > (uint64_t(1) << 32) - kMemBase) {
      res_.status = ExecResult::Status::Error;
      res_.error = "@" + m_.functions[fi].name + ": linear memory reserved at its maximum of " +
                   std::to_string(*m_.memoryMax) + " pages does not fit the address space above " + hex(kMemBase);
      throw Halt{};
    }
    env_.memory.resize(size_t(reserve));
  }
  if (alloc_) {
    startAllocated(fi, args);
  } else {
    const Signature &sig = m_.functions[fi].sig;
    for (size_t i = 0; i < sig.params.size(); ++i) {  // one value per param operand
      const ValType t = sig.params[i];
      argBuf_.push_back(t == ValType::F64 ? args[i] : lo32(args[i]));
      if (t == ValType::I64) argBuf_.push_back(hi32(args[i]));
    }
    enter(fi);
    resume();
  }
  loop();
}

void Machine::loop() {
  const uint64_t fuel = env_.fuel;
  for (;;) {
    if (ip_ >= ncode_) fail("execution fell off the end of the block");
    const Instr &in = code_[ip_];
    if (res_.steps >= fuel) exhaust("fuel of " + std::to_string(fuel) + " instructions exhausted");
    ++res_.steps;
    bool ok = true;
    switch (in.op) {
    case Opcode::Mov:
    case Opcode::Lds:
    case Opcode::Sts: execMove(in); break;
    case Opcode::MovI: write(in.defs[0], in.imm); break;
    case Opcode::Add: case Opcode::Sub: case Opcode::Mul: case Opcode::And:
    case Opcode::Orr: case Opcode::Eor: case Opcode::Shl: case Opcode::ShrU:
    case Opcode::ShrS: case Opcode::Rotl: case Opcode::Rotr: case Opcode::SDiv:
    case Opcode::UDiv: case Opcode::SRem: case Opcode::URem: {
      const uint32_t a = read(in.uses[0]), b = read(in.uses[1]);
      write(in.defs[0], binary32(in.op, a, b, ok));
      break;
    }
    case Opcode::Clz: case Opcode::Ctz: case Opcode::Popcnt:
    case Opcode::Sext8: case Opcode::Sext16:
      write(in.defs[0], unary32(in.op, read(in.uses[0]), ok));
      break;
    case Opcode::Set: {
      const uint32_t a = read(in.uses[0]), b = read(in.uses[1]);
      write(in.defs[0], evalCond(in.cc, a, b) ? 1 : 0);
      break;
    }
    case Opcode::Sel: {
      const uint32_t c = read(in.uses[0]), a = read(in.uses[1]), b = read(in.uses[2]);
      write(in.defs[0], c != 0 ? a : b);
      break;
    }
    case Opcode::UMull: case Opcode::SMull: {
      const uint32_t a = read(in.uses[0]), b = read(in.uses[1]);
      const uint64_t r = mull(in.op == Opcode::SMull, a, b);
      write(in.defs[0], lo32(r));
      write(in.defs[1], hi32(r));
      break;
    }
    case Opcode::Add64: case Opcode::Sub64: case Opcode::Mul64: case Opcode::SDiv64:
    case Opcode::UDiv64: case Opcode::SRem64: case Opcode::URem64: {
      const uint32_t a0 = read(in.uses[0]), a1 = read(in.uses[1]);
      const uint32_t b0 = read(in.uses[2]), b1 = read(in.uses[3]);
      const uint64_t r = binary64(in.op, join(a0, a1), join(b0, b1), ok);
      write(in.defs[0], lo32(r));
      write(in.defs[1], hi32(r));
      break;
    }
    case Opcode::Shl64: case Opcode::ShrU64: case Opcode::ShrS64:
    case Opcode::Rotl64: case Opcode::Rotr64: {
      const uint32_t a0 = read(in.uses[0]), a1 = read(in.uses[1]), n = read(in.uses[2]);
      const uint64_t r = shift64(in.op, join(a0, a1), n, ok);
      write(in.defs[0], lo32(r));
      write(in.defs[1], hi32(r));
      break;
    }
    case Opcode::Set64: {
      const uint32_t a0 = read(in.uses[0]), a1 = read(in.uses[1]);
      const uint32_t b0 = read(in.uses[2]), b1 = read(in.uses[3]);
      write(in.defs[0], evalCond64(in.cc, join(a0, a1), join(b0, b1)) ? 1 : 0);
      break;
    }
    case Opcode::Load: case Opcode::Load64: case Opcode::Store: case Opcode::Store64:
      execMemory(in);
      break;
    case Opcode::GGet: case Opcode::GSet: execGlobal(in); break;
    case Opcode::MemSize: write(in.defs[0], memorySizePages()); break;
    case Opcode::MemGrow: execGrow(in); break;
    case Opcode::Param: execParam(in); break;
    case Opcode::Call: execCall(in); continue;
    case Opcode::CallInd: execCallInd(in); continue;
    case Opcode::TrapIf:
      if (read(in.uses[0]) != 0) trap(in.reason);
      break;
    case Opcode::Push: execPush(in); break;
    case Opcode::Pop: execPop(in); break;
    case Opcode::AdjSp:
      setSp(static_cast<uint64_t>(int64_t(sp_) + int64_t(static_cast<int32_t>(in.imm))));
      break;
    case Opcode::Br: jump(in.targets[0]); continue;
    case Opcode::BrIf: jump(read(in.uses[0]) != 0 ? in.targets[0] : in.targets[1]); continue;
    case Opcode::BrTable: {
      const uint32_t k = read(in.uses[0]);
      const size_t ncases = in.targets.size() - 1;
      jump(k < ncases ? in.targets[k] : in.targets.back());
      continue;
    }
    case Opcode::Ret:
      if (execRet(in)) return;
      continue;
    case Opcode::Trap: trap(in.reason);
#define X(e, m, nd, nu, fl)
#define XF(e, m, nd, nu, fl, sig) case Opcode::e:
#include "core/ir/opcodes.def"
#undef XF
#undef X
      execFloat(in);
      break;
    }
    if (!ok) fail("unhandled opcode");
    ++ip_;
  }
}

void Machine::execMove(const Instr &in) {
  const Operand &d = in.defs[0], &u = in.uses[0];
  if (d.isDReg() || u.isDReg()) {  // allocated form: VMOV.F64, VLDR/VSTR of a D register
    const uint64_t v = u.isStack() ? join(read(u), read(Operand::stack(u.value + 4))) : read64(u);
    if (d.isStack()) {
      write(d, lo32(v));
      write(Operand::stack(d.value + 4), hi32(v));
    } else {
      write64(d, v);
    }
    return;
  }
  write(d, read(u));
  if (wide_ && d.isVReg() && u.isVReg())  // the high word of an f64 vreg rides along
    pool_[hiBase_ + d.value] = pool_[hiBase_ + u.value];
}

void Machine::execParam(const Instr &in) {
  if (alloc_) return;  // a declaration of the ABI homes
  const uint32_t argBase = frames_.back().argBase;
  size_t k = 0;
  for (ValType t : fn_->sig.params)
    for (unsigned w = 0; w < operandsOf(t); ++w, ++k) writeValue(in.defs[k], t, argBuf_[argBase + k]);
}

}  // namespace interp_detail
}  // namespace vcr::mir
