// Register-class inference over vregs (mov joins classes) and the class check of physical operands.
#include "core/ir/classes.h"

#include <numeric>
#include <optional>
#include <string>

namespace vcr::mir {

namespace {

/// Where an operand occurs, for messages.
struct Site {
  uint32_t block = 0, instr = 0;
  bool def = false;
  uint32_t k = 0;
};

/// Vregs joined by vreg-to-vreg movs (union-find, the root the smallest).
class MovJoins {
public:
  /// One walk finds both the movs and the number of vregs (vregInfo, or
  /// past the largest vreg operand; Function::numVRegs would be a walk more).
  void build(const Function &f) {
    auto n = static_cast<uint32_t>(f.vregInfo.size());
    movs_.clear();
    for (const Block &b : f.blocks)
      for (const Instr &in : b.instrs) {
        for (const Operand &o : in.defs)
          if (o.isVReg() && o.value >= n) n = o.value + 1;
        for (const Operand &o : in.uses)
          if (o.isVReg() && o.value >= n) n = o.value + 1;
        if (in.op == Opcode::Mov && in.defs.size() == 1 && in.uses.size() == 1 && in.defs[0].isVReg() &&
            in.uses[0].isVReg())
          movs_.push_back({in.defs[0].value, in.uses[0].value});
      }
    parent_.resize(n);
    std::iota(parent_.begin(), parent_.end(), 0u);
    for (auto [d, u] : movs_) {
      const uint32_t a = find(d), b = find(u);
      if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }
  }
  [[nodiscard]] uint32_t size() const { return static_cast<uint32_t>(parent_.size()); }
  uint32_t find(uint32_t v) {
    while (parent_[v] != v) v = parent_[v] = parent_[parent_[v]];
    return v;
  }

private:
  std::vector<uint32_t> parent_;
  std::vector<std::pair<uint32_t, uint32_t>> movs_;  ///< (def, use) of the vreg-to-vreg movs
};

/// The classes param, ret and call operands take from a signature (the
/// function's own, or the callee's found by name); both lists empty for
/// any other instruction or an unknown callee.
void signatureClasses(const Instr &in, const Function &f, const Module *m, std::vector<RegClass> &defs,
                      std::vector<RegClass> &uses) {
  defs.clear();
  uses.clear();
  if (in.op != Opcode::Param && in.op != Opcode::Ret && !isCall(in.op)) return;
  const Signature *sig = in.op == Opcode::Param || in.op == Opcode::Ret ? &f.sig : m ? m->callSig(in) : nullptr;
  if (!sig) return;
  if (in.op != Opcode::Ret) operandClasses(in.op == Opcode::Param ? sig->params : sig->results, defs);
  if (in.op != Opcode::Param) operandClasses(in.op == Opcode::Ret ? sig->results : sig->params, uses);
}

class ClassInference {
public:
  ClassInference(const Function &f, const Module *m, Diagnostics &diags)
      : f_(f), m_(m), diags_(diags) {}

  bool run(std::vector<RegClass> &out) {
    const size_t before = diags_.size();
    // 1. mov joins its operands' classes
    joins_.build(f_);
    const uint32_t n = joins_.size();
    cls_.assign(n, std::nullopt);
    firstSite_.assign(n, Site{});
    // 2. every position with a class fixes its vreg's (joined) class
    forEach([&](const Instr &in, const Site &s) { visit(in, s); });
    out.assign(n, RegClass::Core);
    for (uint32_t v = 0; v < n; ++v)
      if (auto c = cls_[joins_.find(v)]) out[v] = *c;
    return diags_.size() == before;
  }

private:
  const Function &f_;
  const Module *m_;
  Diagnostics &diags_;
  MovJoins joins_;
  std::vector<std::optional<RegClass>> cls_;  ///< per root
  std::vector<Site> firstSite_;               ///< per root: where cls_ was fixed
  std::vector<RegClass> sigDefs_, sigUses_;   ///< the visited instruction's signature classes

  template <typename Fn> void forEach(Fn fn) {
    for (uint32_t b = 0; b < f_.blocks.size(); ++b) {
      const auto &is = f_.blocks[b].instrs;
      for (uint32_t i = 0; i < is.size(); ++i) {
        const Instr &in = is[i];
        if (static_cast<unsigned>(in.op) >= kNumOpcodes) continue;
        fn(in, Site{b, i, false, 0});
      }
    }
  }

  std::string blockName(uint32_t b) const {
    const std::string &l = f_.blocks[b].label;
    return l.empty() ? "bb" + std::to_string(b) : l;
  }
  std::string mnemonic(const Site &s) const {
    return std::string(info(f_.blocks[s.block].instrs[s.instr].op).mnemonic);
  }
  std::string place(const Site &s) const {
    return "block '" + blockName(s.block) + "', instruction " + std::to_string(s.instr) + " ('" +
           mnemonic(s) + "')";
  }
  static std::string position(const Site &s) {
    return (s.def ? "def " : "use ") + std::to_string(s.k);
  }
  void report(const Site &s, const std::string &msg) {
    Diagnostic d;
    d.function = f_.name;
    d.message = place(s) + ": " + msg;
    d.block = static_cast<int32_t>(s.block);
    d.instr = static_cast<int32_t>(s.instr);
    diags_.push_back(std::move(d));
  }

  void visit(const Instr &in, Site s) {
    if (in.op == Opcode::Mov && in.defs.size() == 1 && in.uses.size() == 1) {
      const auto a = physClass(in.defs[0]), b = physClass(in.uses[0]);
      if (a && b && *a != *b)
        report(s, "mov between classes: " + opText(in.defs[0]) + " is " +
                      std::string(regClassName(*a)) + ", " + opText(in.uses[0]) + " is " +
                      std::string(regClassName(*b)) + " (a reinterpreting move is fmovtoint/fmovfromint)");
    }
    if (in.op == Opcode::Push || in.op == Opcode::Pop) checkList(in, s);
    // Param, ret and calls take their classes from a signature: looked up
    // once per instruction (a call's callee is found by name).
    signatureClasses(in, f_, m_, sigDefs_, sigUses_);
    for (uint32_t k = 0; k < in.defs.size(); ++k) check(in, in.defs[k], Site{s.block, s.instr, true, k});
    for (uint32_t k = 0; k < in.uses.size(); ++k) check(in, in.uses[k], Site{s.block, s.instr, false, k});
  }

  static std::string opText(const Operand &o) {
    switch (o.kind) {
    case Operand::Kind::VReg: return "v" + std::to_string(o.value);
    case Operand::Kind::SReg: return "s" + std::to_string(o.value);
    case Operand::Kind::DReg: return "d" + std::to_string(o.value);
    case Operand::Kind::PReg:
      return o.value < kNumPRegs ? std::string(pregName(o.preg())) : "r?" + std::to_string(o.value);
    default: return "an operand";
    }
  }

  /// push/pop: core registers or VFP registers, not both.
  void checkList(const Instr &in, const Site &s) {
    const auto &list = in.op == Opcode::Push ? in.uses : in.defs;
    bool core = false, vfp = false;
    for (const Operand &o : list) core |= o.isPReg(), vfp |= o.isVfp();
    if (core && vfp)
      report(s, "register list mixes core and VFP registers (push/pop one class: vpush/vpop for S/D)");
  }

  void check(const Instr &in, const Operand &o, const Site &s) {
    if (!o.isVReg() && !o.isPReg() && !o.isVfp()) return;  // an immediate or a stack word has no class
    std::optional<RegClass> want = operandClass(in, s.def, s.k);
    if (!want) {
      const auto &sigClasses = s.def ? sigDefs_ : sigUses_;
      if (s.k < sigClasses.size()) want = sigClasses[s.k];
    }
    if (!want) return;
    if (auto have = physClass(o)) {
      if (*have != *want)
        report(s, position(s) + " is " + opText(o) + " (" + std::string(regClassName(*have)) +
                      "), expected a register of class " + std::string(regClassName(*want)));
      return;
    }
    if (!o.isVReg() || o.value >= joins_.size()) return;
    const uint32_t r = joins_.find(o.value);
    if (!cls_[r]) {
      cls_[r] = *want;
      firstSite_[r] = s;
      return;
    }
    if (*cls_[r] == *want) return;
    const Site &first = firstSite_[r];
    const Operand &fo = first.def ? f_.blocks[first.block].instrs[first.instr].defs[first.k]
                                  : f_.blocks[first.block].instrs[first.instr].uses[first.k];
    std::string via = fo.value == o.value ? "" : " (v" + std::to_string(fo.value) + ", joined by mov)";
    report(s, "v" + std::to_string(o.value) + " is used in two register classes: " +
                  std::string(regClassName(*want)) + " here (" + position(s) + ") but " +
                  std::string(regClassName(*cls_[r])) + " at " + place(first) + " (" +
                  position(first) + ")" + via);
  }
};

}  // namespace

bool inferClasses(const Function &f, std::vector<RegClass> &out, Diagnostics &diags,
                  const Module *m) {
  return ClassInference(f, m, diags).run(out);
}

std::vector<RegClass> vregClasses(const Function &f, const Module *m) {
  // inferClasses' inference without its checks (the allocator asks this of
  // every float function: the messages' sites and the physical operands'
  // checks were half of the time): the same joins by mov, the same
  // positions in the same order, so the same first class per joined set.
  MovJoins joins;
  joins.build(f);
  const uint32_t n = joins.size();
  constexpr int8_t kUnset = -1;
  std::vector<int8_t> cls(n, kUnset);  // per root
  std::vector<RegClass> sigDefs, sigUses;
  for (const Block &b : f.blocks)
    for (const Instr &in : b.instrs) {
      if (static_cast<unsigned>(in.op) >= kNumOpcodes) continue;
      signatureClasses(in, f, m, sigDefs, sigUses);
      auto fix = [&](const Operand &o, bool def, uint32_t k) {
        if (!o.isVReg() || o.value >= n) return;
        std::optional<RegClass> want = operandClass(in, def, k);
        if (!want) {
          const auto &fromSig = def ? sigDefs : sigUses;
          if (k >= fromSig.size()) return;
          want = fromSig[k];
        }
        if (int8_t &c = cls[joins.find(o.value)]; c == kUnset) c = static_cast<int8_t>(*want);
      };
      for (uint32_t k = 0; k < in.defs.size(); ++k) fix(in.defs[k], true, k);
      for (uint32_t k = 0; k < in.uses.size(); ++k) fix(in.uses[k], false, k);
    }
  std::vector<RegClass> out(n, RegClass::Core);
  for (uint32_t v = 0; v < n; ++v)
    if (const int8_t c = cls[joins.find(v)]; c != kUnset) out[v] = static_cast<RegClass>(c);
  return out;
}

}  // namespace vcr::mir
