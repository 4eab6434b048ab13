// The mutation campaign's VFP fault classes (issue 14), applied at every
// site of the correct allocations of verifier/tests/vfp: the wrong S
// register, a D register overlapping a live S, a caller-saved S read after
// a call, a missing VPUSH, a float argument in the wrong register. Every
// mutant the checker proves must run like the original (soundness, where
// the interpreter runs the fixture); every class must be refuted at its sites.
#include "core/ir/diff.h"
#include "core/ir/text.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace vcr;
using mir::Function;
using mir::Instr;
using mir::Operand;

namespace {

mir::Module load(const std::string &name) {
  const std::string path = std::string(VCR_SOURCE_DIR) + "/verifier/tests/vfp/" + name;
  std::ifstream f(path);
  REQUIRE_MESSAGE(f.good(), "cannot open " << path);
  std::stringstream ss;
  ss << f.rdbuf();
  mir::ParseResult r = mir::parseModule(ss.str(), path);
  REQUIRE_MESSAGE(r.module.has_value(), path);
  return std::move(*r.module);
}

enum Class : unsigned { WrongSReg, DOverlapsLiveS, CallerSavedSAfterCall, MissingVpush, WrongFloatArgReg, kClasses };
constexpr std::array<const char *, kClasses> kNames = {
    "wrong S register", "D register over a live S", "caller-saved S read after a call", "missing VPUSH",
    "float argument in the wrong register"};

/// One mutant: the function edited in place.
using Edit = std::function<void(Function &)>;

/// The S registers an operand covers (none for a core operand).
std::vector<uint32_t> sOf(const Operand &o) {
  std::vector<uint32_t> s;
  for (uint32_t r : mir::sregsOf(o)) s.push_back(r);
  return s;
}
bool overlaps(const Operand &a, const Operand &b) {
  for (uint32_t x : sOf(a))
    for (uint32_t y : sOf(b))
      if (x == y) return true;
  return false;
}
/// The same class's next register: s(n+1), d(n+1).
Operand nextReg(const Operand &o) {
  return o.isSReg() ? Operand::sreg((o.value + 1) % 32) : Operand::dreg((o.value + 1) % 16);
}
bool plain(const Instr &in) {
  return !in.inserted() && in.op != mir::Opcode::Param && !mir::isCall(in.op) && in.op != mir::Opcode::Ret;
}

std::vector<Edit> sites(const Function &f, Class cls) {
  std::vector<Edit> out;
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t i = 0; i < code.size(); ++i) {
      const Instr &in = code[i];
      switch (cls) {
      case WrongSReg:  // a use of an original instruction names the next register of its class
        if (plain(in))
          for (size_t k = 0; k < in.uses.size(); ++k)
            if (in.uses[k].isVfp())
              out.push_back([b, i, k](Function &g) { auto &u = g.blocks[b].instrs[i].uses[k]; u = nextReg(u); });
        break;
      case DOverlapsLiveS:  // a D def moved onto the D holding an S read later, its readers renamed
        if (plain(in) && in.defs.size() == 1 && in.defs[0].isDReg())
          for (uint32_t j = i + 1; j < code.size(); ++j) {
            for (const Operand &u : code[j].uses)
              if (u.isSReg() && !overlaps(u, in.defs[0])) {
                const Operand to = Operand::dreg(u.value / 2), from = in.defs[0];
                out.push_back([b, i, from, to](Function &g) {
                  auto &c = g.blocks[b].instrs;
                  c[i].defs[0] = to;
                  for (size_t n = i + 1; n < c.size(); ++n) {
                    for (Operand &x : c[n].uses) if (x == from) x = to;
                    if (std::any_of(c[n].defs.begin(), c[n].defs.end(), [&](const Operand &d) { return overlaps(d, from); })) break;
                  }
                });
                j = uint32_t(code.size());
                break;
              }
          }
        break;
      case CallerSavedSAfterCall:  // after a call, a use of S16-S31/D8-D15 names S0-S15/D0-D7
        if (mir::isCall(in.op))
          for (uint32_t j = i + 1; j < code.size(); ++j)
            for (size_t k = 0; k < code[j].uses.size(); ++k) {
              const Operand &u = code[j].uses[k];
              if (!plain(code[j]) || !u.isVfp() || (u.isSReg() ? u.value < 16 : u.value < 8)) continue;
              out.push_back([b, j, k](Function &g) {
                auto &x = g.blocks[b].instrs[j].uses[k];
                x = x.isSReg() ? Operand::sreg(x.value - 14) : Operand::dreg(x.value - 7);  // s16 -> s2, d8 -> d1
              });
            }
        break;
      case MissingVpush:  // a VFP register dropped from the prologue VPUSH and every epilogue VPOP
        if (in.op == mir::Opcode::Push && in.origin == mir::Origin::Prologue)
          for (const Operand &o : in.uses)
            if (o.isVfp())
              out.push_back([o](Function &g) {
                for (auto &bb : g.blocks)
                  for (Instr &x : bb.instrs) {
                    auto &list = x.op == mir::Opcode::Push ? x.uses : x.defs;
                    if (x.op == mir::Opcode::Push || x.op == mir::Opcode::Pop)
                      list.erase(std::remove(list.begin(), list.end(), o), list.end());
                  }
                for (auto &bb : g.blocks)  // an emptied list goes
                  bb.instrs.erase(std::remove_if(bb.instrs.begin(), bb.instrs.end(), [](const Instr &x) {
                                    return (x.op == mir::Opcode::Push && x.uses.empty()) || (x.op == mir::Opcode::Pop && x.defs.empty());
                                  }), bb.instrs.end());
              });
        break;
      case WrongFloatArgReg:  // the last writer of a VFP argument register writes the next one
        if (mir::isCall(in.op))
          for (const Operand &arg : in.uses) {
            if (!arg.isVfp()) continue;
            for (uint32_t j = i; j-- > 0;)
              if (code[j].defs.size() == 1 && code[j].defs[0] == arg) {
                out.push_back([b, j](Function &g) { auto &d = g.blocks[b].instrs[j].defs[0]; d = nextReg(d); });
                break;
              }
          }
        break;
      default: break;
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("VFP mutation classes at every site of the correct VFP fixtures: refuted, and sound") {
  struct Stats { unsigned mutants = 0, refuted = 0, counterexample = 0, proved = 0, ran = 0, changing = 0; };
  std::array<Stats, kClasses> stats{};
  for (const char *fx : {"alias", "call", "stackargs", "mem", "loop", "callint", "remat"}) {
    CAPTURE(fx);
    mir::Module vreg = load(std::string(fx) + ".vreg.mir"), alloc = load(std::string(fx) + ".alloc.mir");
    bool runnable = true;
    for (const Function &f : vreg.functions)
      for (const auto *ts : {&f.sig.params, &f.sig.results})
        for (mir::ValType t : *ts) runnable = runnable && !mir::isVfpType(t);
    for (size_t fi = 0; fi < alloc.functions.size(); ++fi) {
      const Function &orig = *std::find_if(vreg.functions.begin(), vreg.functions.end(),
                                           [&](const Function &f) { return f.name == alloc.functions[fi].name; });
      const std::vector<mir::DiffInput> inputs =
          runnable ? mir::makeDiffInputs(vreg, orig.name, 32, 5) : std::vector<mir::DiffInput>{};
      for (unsigned c = 0; c < kClasses; ++c) {
        for (const Edit &e : sites(alloc.functions[fi], Class(c))) {
          mir::Module m = alloc;
          e(m.functions[fi]);
          Stats &s = stats[c];
          ++s.mutants;
          const verifier::CheckResult r = verifier::checkFunction(orig, m.functions[fi], vreg, {});
          CHECK(r.unknown == 0);
          const bool cex = std::any_of(r.obligations.begin(), r.obligations.end(),
                                       [](const auto &o) { return o.hasCounterexample; });
          s.refuted += r.refuted > 0;
          s.counterexample += cex;
          s.proved += r.ok();
          if (!runnable) continue;
          ++s.ran;
          const std::string diff = mir::behaviourDifference(m, orig.name, inputs);
          s.changing += !diff.empty();
          // soundness: a proved mutant runs like the original
          if (r.ok()) CHECK_MESSAGE(diff.empty(), kNames[c] << " in @" << orig.name << ": " << mir::printFunction(m.functions[fi]));
        }
      }
    }
  }
  for (unsigned c = 0; c < kClasses; ++c) {
    const Stats &s = stats[c];
    MESSAGE(std::string(kNames[c]) << ": " << s.mutants << " mutants, " << s.refuted << " refuted (" << s.counterexample
                      << " with a counterexample), " << s.proved << " proved; " << s.ran << " run, "
                      << s.changing << " change behaviour");
    CHECK(s.mutants >= 1);
    CHECK(s.refuted >= 1);
    CHECK(s.counterexample >= 1);
  }
}
