// MIR well-formedness checks: operand counts and kinds, block structure,
// branch targets, callees, the form rule and definite definition of vregs.
#include "core/ir/validate.h"

#include "core/ir/cfg.h"
#include "core/ir/classes.h"

#include <algorithm>
#include <cstdint>
#include <unordered_set>

namespace vcr::mir {

namespace {

/// Highest vreg number of valid MIR; the parser (text_parse.cpp) uses the
/// same limit, so every valid function prints and parses back.
constexpr uint32_t kMaxVReg = (1u << 20) - 1;

/// Operand categories an operand position accepts (bit set).
enum Allow : unsigned { kReg = 1, kImm = 2, kStack = 4 };

unsigned wordCount(const std::vector<ValType> &ts) { return operandCount(ts); }

bool validTypes(const Signature &s) {
  for (const auto *ts : {&s.params, &s.results})
    for (ValType t : *ts)
      if (static_cast<unsigned>(t) > static_cast<unsigned>(ValType::F64)) return false;
  return true;
}

bool validName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '$' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string operandText(const Operand &o) {
  switch (o.kind) {
  case Operand::Kind::VReg: return "v" + std::to_string(o.value);
  case Operand::Kind::PReg:
    return o.value < kNumPRegs ? std::string(pregName(o.preg())) : "r?" + std::to_string(o.value);
  case Operand::Kind::Imm: return "#" + std::to_string(o.value);
  case Operand::Kind::Stack: return "[sp+" + std::to_string(o.value) + "]";
  case Operand::Kind::SReg: return "s" + std::to_string(o.value);
  case Operand::Kind::DReg: return "d" + std::to_string(o.value);
  }
  return "<invalid operand kind>";
}

/// Validates one function; every problem becomes one diagnostic.
class FunctionValidator {
public:
  FunctionValidator(const Function &f, const Module &m, Diagnostics &out)
      : f_(f), m_(m), out_(out) {}

  void run() {
    if (!validTypes(f_.sig)) report("invalid value type in the signature");
    if (f_.vregInfo.size() > kMaxVReg + 1)
      report("vreg info for more than " + std::to_string(kMaxVReg + 1) + " vregs");
    for (size_t v = 0; v < f_.vregInfo.size() && v <= kMaxVReg; ++v)
      if (f_.vregInfo[v].hiOf > static_cast<int32_t>(kMaxVReg))
        report("vreg info of v" + std::to_string(v) + ": 'hi' vreg number too large");
    if (f_.blocks.empty()) {
      report("function has no blocks");
      return;
    }
    for (size_t b = 0; b < f_.blocks.size(); ++b) checkBlock(b);
    if (!badOpcode_) {  // register classes (docs/vfp.md)
      std::vector<RegClass> classes;
      inferClasses(f_, classes, out_, &m_);
    }
    // The CFG needs valid opcodes (Cfg::build asks whether they terminate).
    if (!f_.allocated && !badOpcode_) checkDefinedness();
  }

private:
  const Function &f_;
  const Module &m_;
  Diagnostics &out_;
  bool badOpcode_ = false;

  void report(std::string msg) {
    Diagnostic d;
    d.function = f_.name;
    d.message = std::move(msg);
    out_.push_back(std::move(d));
  }
  std::string blockName(size_t b) const {
    const std::string &l = f_.blocks[b].label;
    return l.empty() ? "bb" + std::to_string(b) : l;
  }
  std::string where(size_t b, size_t i) const {
    const Instr &in = f_.blocks[b].instrs[i];
    std::string mn = static_cast<unsigned>(in.op) < kNumOpcodes
                         ? std::string(info(in.op).mnemonic)
                         : "<opcode " + std::to_string(static_cast<unsigned>(in.op)) + ">";
    return "block '" + blockName(b) + "', instruction " + std::to_string(i) + " ('" + mn + "'): ";
  }
  void report(size_t b, size_t i, const std::string &msg) {
    report(where(b, i) + msg);
    out_.back().block = static_cast<int32_t>(b);
    out_.back().instr = static_cast<int32_t>(i);
  }

  void checkBlock(size_t b) {
    const auto &is = f_.blocks[b].instrs;
    if (is.empty()) {
      report("block '" + blockName(b) + "' is empty");
      return;
    }
    for (size_t i = 0; i < is.size(); ++i) {
      const Instr &in = is[i];
      if (static_cast<unsigned>(in.op) >= kNumOpcodes) {
        report(b, i, "invalid opcode number");
        badOpcode_ = true;
        continue;
      }
      if (in.isTerminator() && i + 1 != is.size())
        report(b, i, "terminator in the middle of the block");
      if (!in.isTerminator() && i + 1 == is.size())
        report(b, i, "the block does not end with a terminator");
      if (in.op == Opcode::Param && (b != 0 || i != 0))
        report(b, i, "'param' must be the first instruction of the entry block");
      checkInstr(b, i, in);
    }
  }

  void checkCount(size_t b, size_t i, const char *what, size_t got, size_t want) {
    if (got != want)
      report(b, i,
             "expected " + std::to_string(want) + " " + what + ", got " + std::to_string(got));
  }

  void checkInstr(size_t b, size_t i, const Instr &in) {
    const OpcodeInfo &oi = info(in.op);
    if (static_cast<unsigned>(in.cc) > static_cast<unsigned>(Cond::UGe))
      report(b, i, "invalid condition code");
    if (static_cast<unsigned>(in.width) > static_cast<unsigned>(Width::S16))
      report(b, i, "invalid width");
    if (static_cast<unsigned>(in.reason) > static_cast<unsigned>(kLastTrapReason))
      report(b, i, "invalid trap reason");
    if (static_cast<unsigned>(in.origin) > static_cast<unsigned>(Origin::Frame))
      report(b, i, "invalid origin");
    if (oi.allocatedOnly && !f_.allocated) report(b, i, "only allowed in allocated form");
    // Two results of one instruction are two values: in vreg form they are
    // two vregs (the allocated form's registers are the checker's concern).
    if (!f_.allocated)
      for (size_t k = 1; k < in.defs.size(); ++k)
        for (size_t j = 0; j < k; ++j)
          if (in.defs[k].isVReg() && in.defs[j] == in.defs[k]) {
            report(b, i, "defines v" + std::to_string(in.defs[k].value) + " twice (defs " + std::to_string(j) +
                             " and " + std::to_string(k) + ")");
            break;  // once per def
          }

    // Operand counts.
    switch (in.op) {
    case Opcode::Param:
      checkCount(b, i, "uses", in.uses.size(), 0);
      checkCount(b, i, "defs (one per parameter operand)", in.defs.size(), wordCount(f_.sig.params));
      break;
    case Opcode::Call:
      if (const Signature *s = m_.calleeSig(in.callee)) {
        checkCount(b, i, "argument operands", in.uses.size(), wordCount(s->params));
        checkCount(b, i, "result operands", in.defs.size(), wordCount(s->results));
      } else {
        report(b, i, "unknown callee '@" + in.callee + "'");
      }
      break;
    case Opcode::CallInd:
      if (const Signature *s = m_.callSig(in)) {
        checkCount(b, i, "uses (argument operands, then the table index)", in.uses.size(),
                   wordCount(s->params) + 1);
        checkCount(b, i, "result operands", in.defs.size(), wordCount(s->results));
      } else {
        report(b, i, "signature id #" + std::to_string(in.imm) + " out of range (module has " +
                         std::to_string(m_.types.size()) + " signature ids)");
      }
      break;
    case Opcode::Push:
    case Opcode::Pop: {
      bool push = in.op == Opcode::Push;
      checkCount(b, i, push ? "defs" : "uses", push ? in.defs.size() : in.uses.size(), 0);
      if ((push ? in.uses : in.defs).empty()) report(b, i, "needs at least one register");
      break;
    }
    case Opcode::Ret:
      checkCount(b, i, "defs", in.defs.size(), 0);
      checkCount(b, i, "uses (one per result operand)", in.uses.size(), wordCount(f_.sig.results));
      break;
    default:
      checkCount(b, i, "defs", in.defs.size(), static_cast<size_t>(oi.ndefs));
      checkCount(b, i, "uses", in.uses.size(), static_cast<size_t>(oi.nuses));
    }

    // Branch targets.
    switch (in.op) {
    case Opcode::Br: checkCount(b, i, "targets", in.targets.size(), 1); break;
    case Opcode::BrIf: checkCount(b, i, "targets", in.targets.size(), 2); break;
    case Opcode::BrTable:
      if (in.targets.empty()) report(b, i, "needs at least one target (the default)");
      break;
    default: checkCount(b, i, "targets", in.targets.size(), 0);
    }
    for (BlockId t : in.targets) {
      if (t >= f_.blocks.size())
        report(b, i, "branch target " + std::to_string(t) + " out of range (function has " +
                         std::to_string(f_.blocks.size()) + " blocks)");
      else if (t == 0)
        report(b, i, "branch to the entry block: the entry block has no predecessors (its `param` "
                     "and the prologue run once); put the loop in a block of its own");
    }

    // Opcode-specific fields.
    if ((in.op == Opcode::Set || in.op == Opcode::Set64) && in.cc == Cond::None)
      report(b, i, "needs a condition code");
    if ((in.op == Opcode::FSet32 || in.op == Opcode::FSet64) &&
        !(in.cc == Cond::Eq || in.cc == Cond::Ne || in.cc == Cond::SLt || in.cc == Cond::SGt ||
          in.cc == Cond::SLe || in.cc == Cond::SGe))
      report(b, i, "needs a float condition code (eq ne lt gt le ge)");
    if (in.op == Opcode::Store && in.width != Width::U8 && in.width != Width::U16 &&
        in.width != Width::W32)
      report(b, i, "store width must be 8, 16 or 32");
    if ((in.op == Opcode::GGet || in.op == Opcode::GSet) && in.imm >= m_.globals.size())
      report(b, i, "global index #" + std::to_string(in.imm) + " out of range (module has " +
                       std::to_string(m_.globals.size()) + " globals)");
    if (in.op == Opcode::MemGrow && !m_.memoryMax)
      report(b, i, "memgrow in a module whose memory cannot grow (no `memory N max M`)");

    // Operand kinds.
    for (size_t k = 0; k < in.defs.size(); ++k) {
      unsigned allow = kReg;
      if (in.op == Opcode::Sts) allow = kStack;
      if (f_.allocated && (in.op == Opcode::Param || isCall(in.op))) allow = kReg | kStack;  // stack results
      checkOperand(b, i, in.defs[k], "def " + std::to_string(k), allow);
    }
    const bool memory = isLinearMemoryOp(in.op);
    for (size_t k = 0; k < in.uses.size(); ++k) {
      const bool last = k + 1 == in.uses.size();
      unsigned allow = kReg;
      if (isFloatOp(in.op) && !operandClass(in, false, k)) allow = kImm;  // fconst bits
      if (in.op == Opcode::Lds) allow = kStack;
      if (oi.immOperand && last) allow = kReg | kImm;
      if (f_.allocated && in.op == Opcode::Call) allow = kReg | kStack;
      if (f_.allocated && in.op == Opcode::CallInd && !last) allow = kReg | kStack;
      if (f_.allocated && in.op == Opcode::Ret) allow = kReg | kStack;  // stack results
      std::string what = memory && last ? "address" : "use " + std::to_string(k);
      checkOperand(b, i, in.uses[k], what, allow);
    }
  }

  void checkOperand(size_t b, size_t i, const Operand &o, const std::string &what,
                    unsigned allow) {
    unsigned cat = 0;
    switch (o.kind) {
    case Operand::Kind::VReg:
    case Operand::Kind::PReg:
    case Operand::Kind::SReg:
    case Operand::Kind::DReg: cat = kReg; break;
    case Operand::Kind::Imm: cat = kImm; break;
    case Operand::Kind::Stack: cat = kStack; break;
    default: report(b, i, what + " has an invalid operand kind"); return;
    }
    if (!(cat & allow)) {
      std::string want;
      for (auto [bit, name] : {std::pair{kReg, "a register"}, {kImm, "an immediate"},
                               {kStack, "a stack slot"}})
        if (allow & bit) want += (want.empty() ? "" : " or ") + std::string(name);
      report(b, i, what + " is " + operandText(o) + ", expected " + want);
      return;
    }
    if (o.isVReg() && o.value > kMaxVReg) {
      report(b, i, what + " is " + operandText(o) + ", above the vreg limit v" +
                       std::to_string(kMaxVReg));
    } else if (o.isPReg() && o.value >= kNumPRegs) {
      report(b, i, what + " is an invalid physical register number " + std::to_string(o.value));
    } else if ((o.isSReg() && o.value >= kNumSRegs) || (o.isDReg() && o.value >= kNumDRegs)) {
      report(b, i, what + " is an invalid VFP register number " + std::to_string(o.value));
    } else if (!f_.allocated && o.isVfp()) {
      report(b, i, what + " is physical register " + operandText(o) + " in vreg form");
    } else if (f_.allocated && o.isVReg()) {
      report(b, i, what + " is vreg " + operandText(o) + " in allocated form");
    } else if (!f_.allocated && o.isPReg()) {
      report(b, i, what + " is physical register " + operandText(o) + " in vreg form");
    } else if (!f_.allocated && o.isStack()) {
      report(b, i, what + " is stack slot " + operandText(o) + " in vreg form");
    }
  }

  /// Forward "definitely defined" dataflow over the reachable CFG; reports
  /// each use of a vreg that some path from the entry leaves undefined.
  void checkDefinedness() {
    std::vector<VReg> ids;
    for (const Block &bl : f_.blocks)
      for (const Instr &in : bl.instrs) {
        for (const Operand &o : in.defs)
          if (o.isVReg()) ids.push_back(o.value);
        for (const Operand &o : in.uses)
          if (o.isVReg()) ids.push_back(o.value);
      }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) return;
    auto dense = [&](VReg v) {
      return static_cast<size_t>(std::lower_bound(ids.begin(), ids.end(), v) - ids.begin());
    };
    const size_t words = (ids.size() + 63) / 64, nb = f_.blocks.size();
    using Bits = std::vector<uint64_t>;
    auto set = [](Bits &bs, size_t k) { bs[k / 64] |= uint64_t{1} << (k % 64); };
    auto test = [](const Bits &bs, size_t k) { return (bs[k / 64] >> (k % 64)) & 1; };

    Cfg g = Cfg::build(f_);
    std::vector<Bits> gen(nb, Bits(words, 0)), in(nb, Bits(words, 0)),
        out(nb, Bits(words, ~uint64_t{0}));
    for (size_t b = 0; b < nb; ++b)
      for (const Instr &ins : f_.blocks[b].instrs)
        for (const Operand &o : ins.defs)
          if (o.isVReg()) set(gen[b], dense(o.value));
    for (bool changed = true; changed;) {
      changed = false;
      for (BlockId b : g.rpo) {
        Bits cur(words, b == 0 ? 0 : ~uint64_t{0});
        if (b != 0)
          for (BlockId p : g.preds[b])
            if (g.reachable[p])
              for (size_t w = 0; w < words; ++w) cur[w] &= out[p][w];
        in[b] = cur;
        for (size_t w = 0; w < words; ++w) cur[w] |= gen[b][w];
        if (cur != out[b]) {
          out[b] = std::move(cur);
          changed = true;
        }
      }
    }
    for (BlockId b : g.rpo) {
      Bits cur = in[b];
      const auto &is = f_.blocks[b].instrs;
      for (size_t i = 0; i < is.size(); ++i) {
        for (const Operand &o : is[i].uses) {
          if (!o.isVReg() || test(cur, dense(o.value))) continue;
          report(b, i, "v" + std::to_string(o.value) +
                           " is used but not defined on every path from the entry");
          set(cur, dense(o.value));  // report each undefined use once per block
        }
        for (const Operand &o : is[i].defs)
          if (o.isVReg()) set(cur, dense(o.value));
      }
    }
  }
};

}  // namespace

bool validateFunction(const Function &f, const Module &m, Diagnostics &out) {
  const size_t before = out.size();
  FunctionValidator(f, m, out).run();
  return out.size() == before;
}

bool validateModule(const Module &m, Diagnostics &out, std::vector<size_t> *fnIndex) {
  const size_t before = out.size();
  size_t current = SIZE_MAX;  // the function the diagnostics are about
  auto tag = [&] {
    if (fnIndex) fnIndex->resize(out.size(), current);
  };
  auto report = [&](const std::string &fn, std::string msg) {
    Diagnostic d;
    d.function = fn;
    d.message = std::move(msg);
    out.push_back(std::move(d));
    tag();
  };
  if (fnIndex) fnIndex->resize(before, SIZE_MAX);
  if (m.memoryMax && (*m.memoryMax < m.memoryPages || *m.memoryMax > kMaxGrowPages))
    report("", "memory maximum " + std::to_string(*m.memoryMax) + " pages is outside " +
                   std::to_string(m.memoryPages) + ".." + std::to_string(kMaxGrowPages));
  std::unordered_set<std::string> names;
  for (const Import &im : m.imports) {
    if (!validName(im.name)) report("", "import name '" + im.name + "' is not a valid MIR name");
    if (!validTypes(im.sig)) report("", "import '@" + im.name + "' has an invalid value type");
    if (!names.insert(im.name).second) report("", "duplicate import '@" + im.name + "'");
  }
  for (size_t i = 0; i < m.functions.size(); ++i) {
    const Function &f = m.functions[i];
    current = i;
    if (!validName(f.name)) report(f.name, "function name '" + f.name + "' is not a valid MIR name");
    if (!names.insert(f.name).second)
      report(f.name, "duplicate function or import name '@" + f.name + "'");
  }
  current = SIZE_MAX;
  for (size_t t = 0; t < m.types.size(); ++t)
    if (!validTypes(m.types[t])) report("", "signature id " + std::to_string(t) + " has an invalid value type");
  // A slot's function may be missing (an allocated module holds only the
  // functions that were allocated; calling such a slot is an error at run time).
  for (size_t k = 0; k < m.table.size(); ++k) {
    const TableSlot &sl = m.table[k];
    if (sl.kind != TableSlot::Kind::Func) continue;
    const std::string at = "table slot " + std::to_string(k) + " (@" + sl.func + "): ";
    if (sl.type >= m.types.size()) {
      report("", at + "signature id " + std::to_string(sl.type) + " out of range");
    } else if (const Signature *s = m.calleeSig(sl.func); s && !(*s == m.types[sl.type])) {
      report("", at + "the function's signature is not signature id " + std::to_string(sl.type));
    }
  }
  for (size_t i = 0; i < m.functions.size(); ++i) {
    current = i;
    validateFunction(m.functions[i], m, out);
    tag();
  }
  return out.size() == before;
}

}  // namespace vcr::mir
