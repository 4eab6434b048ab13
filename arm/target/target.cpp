// Register roles and AAPCS argument/result placement.
#include "arm/target/target.h"

#include <algorithm>
#include <stdexcept>

namespace vcr::arm {

RegSet RegSet::range(PReg lo, PReg hi) {
  RegSet s;
  for (auto r = static_cast<unsigned>(lo); r <= static_cast<unsigned>(hi); ++r)
    s.add(static_cast<PReg>(r));
  return s;
}

std::vector<PReg> RegSet::list() const {
  std::vector<PReg> out;
  for (unsigned r = 0; r < mir::kNumPRegs; ++r)
    if (bits_.test(r)) out.push_back(static_cast<PReg>(r));
  return out;
}

std::string RegSet::str() const {
  std::string s = "{";
  for (PReg r : list()) {
    if (s.size() > 1) s += ", ";
    s += mir::pregName(r);
  }
  return s + "}";
}

RegSet callerSaved() { return RegSet::range(PReg::R0, PReg::R3) | RegSet{PReg::R12, PReg::LR}; }
RegSet calleeSaved() { return RegSet::range(PReg::R4, PReg::R11); }
RegSet reserved() {
  return RegSet{PReg::R9, PReg::R10, PReg::R11, PReg::R12, PReg::SP, PReg::LR, PReg::PC};
}
RegSet argRegs() { return RegSet::range(PReg::R0, PReg::R3); }

std::string_view fixedRole(PReg r) {
  switch (r) {
  case kGlobalsBase: return "globals base";
  case kMemSize: return "memory size";
  case kMemBase: return "memory base";
  case PReg::SP: return "stack pointer";
  case PReg::PC: return "program counter";
  default: return "";
  }
}

Pool Pool::parse(const std::string &spec) {
  Pool p;
  p.regs = RegSet{};
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    std::string item = spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    size_t dash = item.find('-');
    auto reg = [&](const std::string &n) {
      auto r = mir::pregFromName(n);
      if (!r) throw std::invalid_argument("bad register '" + n + "' in pool '" + spec + "'");
      return *r;
    };
    if (dash == std::string::npos) {
      p.regs.add(reg(item));
    } else {
      PReg lo = reg(item.substr(0, dash)), hi = reg(item.substr(dash + 1));
      if (lo > hi) throw std::invalid_argument("empty range '" + item + "' in pool");
      p.regs = p.regs | RegSet::range(lo, hi);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (p.regs.empty()) throw std::invalid_argument("empty register pool");
  for (PReg r : p.regs.list())  // a range takes in what lies between its ends
    if (std::string_view role = fixedRole(r); !role.empty())
      throw std::invalid_argument(std::string(mir::pregName(r)) + " is the " + std::string(role) +
                                  " register and is never allocatable (pool '" + spec + "')");
  return p;
}

mir::Operand locOperand(const WordLoc &l) {
  if (l.onStack) return mir::Operand::stack(l.offset);
  switch (l.vfp) {
  case WordLoc::Vfp::S: return mir::Operand::sreg(l.vfpReg);
  case WordLoc::Vfp::D: return mir::Operand::dreg(l.vfpReg);
  case WordLoc::Vfp::None: break;
  }
  return mir::Operand::preg(l.reg);
}

std::vector<WordLoc> paramLocations(const mir::Signature &sig) {
  std::vector<WordLoc> out;
  unsigned next = 0;  // next free core register
  uint32_t stack = 0;
  bool spilled = false;     // once a core param is on the stack, no back-filling
  uint32_t sFree = 0xffff;  // free S0-S15
  bool vfpSpilled = false;  // a VFP param did not fit: the rest go to the stack
  auto onStack = [&](uint8_t bytes) {
    if (bytes == 8) stack = (stack + 7) & ~7u;
    out.push_back({true, PReg::R0, stack, WordLoc::Vfp::None, 0, bytes});
    stack += bytes;
  };
  for (mir::ValType t : sig.params) {
    switch (t) {
    case mir::ValType::I32:
      if (!spilled && next < 4) {
        out.push_back({false, static_cast<PReg>(next++), 0});
      } else {
        spilled = true;
        onStack(4);
      }
      break;
    case mir::ValType::I64:
      if (next % 2) ++next;  // even-aligned pair
      if (!spilled && next + 1 < 4) {
        out.push_back({false, static_cast<PReg>(next), 0});
        out.push_back({false, static_cast<PReg>(next + 1), 0});
        next += 2;
      } else {
        spilled = true;
        next = 4;
        stack = (stack + 7) & ~7u;
        out.push_back({true, PReg::R0, stack});
        out.push_back({true, PReg::R0, stack + 4});
        stack += 8;
      }
      break;
    case mir::ValType::F32:
    case mir::ValType::F64: {
      const bool dbl = t == mir::ValType::F64;
      const uint32_t want = dbl ? 3u : 1u;
      bool placed = false;
      for (unsigned n = 0; !vfpSpilled && n < 16; n += dbl ? 2 : 1)
        if ((sFree >> n & want) == want) {
          sFree &= ~(want << n);
          WordLoc l;
          l.vfp = dbl ? WordLoc::Vfp::D : WordLoc::Vfp::S;
          l.vfpReg = static_cast<uint8_t>(dbl ? n / 2 : n);
          l.bytes = dbl ? 8 : 4;
          out.push_back(l);
          placed = true;
          break;
        }
      if (!placed) {
        vfpSpilled = true;
        onStack(dbl ? 8 : 4);
      }
      break;
    }
    }
  }
  return out;
}

uint32_t stackArgBytes(const mir::Signature &sig) {
  uint32_t end = 0;
  for (const WordLoc &w : paramLocations(sig))
    if (w.onStack) end = std::max(end, w.offset + w.bytes);
  return end;
}

std::vector<WordLoc> resultLocations(const mir::Signature &sig) {
  // Results are placed as a parameter list of the same types would be: one
  // result gives AAPCS's R0, R0:R1, S0 or D0; several take R0-R3 and
  // S0-S15/D0-D7 in order, with back-filling, and the rest the caller's
  // outgoing area (docs/mir.md "Several results").
  mir::Signature asParams;
  asParams.params = sig.results;
  return paramLocations(asParams);
}

uint32_t calleeAreaBytes(const mir::Signature &sig) {
  return std::max(stackArgBytes(sig), stackResultBytes(sig));
}

uint32_t stackResultBytes(const mir::Signature &sig) {
  uint32_t end = 0;
  for (const WordLoc &w : resultLocations(sig))
    if (w.onStack) end = std::max(end, w.offset + w.bytes);
  return end;
}

}  // namespace vcr::arm
