// Printer of the .mir text format (syntax: docs/mir.md; parser: text_parse.cpp).
#include "core/ir/text.h"

#include <unordered_set>

namespace vcr::mir {

namespace {

/// Label syntax of docs/mir.md: [A-Za-z_][A-Za-z0-9_.]*.
bool validLabel(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (i > 0 && (digit || c == '.')))) return false;
  }
  return true;
}

/// Printed block names: the block's own label when it is a valid, not yet
/// used label, else "bbN" (made unique with ".k" if that is taken), so that
/// what is printed always parses back to the same blocks.
std::vector<std::string> blockNames(const Function &f) {
  std::vector<std::string> names(f.blocks.size());
  std::unordered_set<std::string> taken;
  for (size_t b = 0; b < f.blocks.size(); ++b)
    if (validLabel(f.blocks[b].label) && taken.insert(f.blocks[b].label).second)
      names[b] = f.blocks[b].label;
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    if (!names[b].empty()) continue;
    std::string base = "bb" + std::to_string(b), cand = base;
    for (unsigned k = 1; !taken.insert(cand).second; ++k) cand = base + "." + std::to_string(k);
    names[b] = cand;
  }
  return names;
}

// Enum names that tolerate out-of-range values (the printer never crashes,
// even on a module the validator would reject).
std::string_view safeCond(Cond c) {
  return static_cast<unsigned>(c) <= static_cast<unsigned>(Cond::UGe) ? condName(c) : "?";
}
std::string_view safeTrap(TrapReason r) {
  return static_cast<unsigned>(r) <= static_cast<unsigned>(kLastTrapReason) ? trapName(r)
                                                                                     : "?";
}
std::string_view safeOrigin(Origin o) {
  return static_cast<unsigned>(o) <= static_cast<unsigned>(Origin::Frame) ? originName(o) : "?";
}
std::string_view safeWidth(Width w) {
  return static_cast<unsigned>(w) <= static_cast<unsigned>(Width::S16) ? widthName(w) : "?";
}
std::string_view storeWidth(Width w) {
  switch (w) {
  case Width::U8: return "8";
  case Width::U16: return "16";
  case Width::W32: return "32";
  default: return safeWidth(w);
  }
}

std::string printSig(const Signature &s) {
  auto list = [](const std::vector<ValType> &ts) {
    std::string out = "(";
    for (size_t i = 0; i < ts.size(); ++i) {
      if (i) out += ", ";
      out += valTypeName(ts[i]);
    }
    return out + ")";
  };
  return list(s.params) + " -> " + list(s.results);
}

std::string joinOperands(const OperandList &ops) {
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i) out += ", ";
    out += printOperand(ops[i]);
  }
  return out;
}

bool isMemoryOp(Opcode op) { return isLinearMemoryOp(op); }

std::string printInstrNamed(const Instr &in, const std::vector<std::string> &names) {
  if (static_cast<unsigned>(in.op) >= kNumOpcodes) return "<invalid opcode>";
  std::string s(info(in.op).mnemonic);
  if (in.op == Opcode::FSet32 || in.op == Opcode::FSet64)  // fset.lt.f32
    s = "fset." + std::string(fcondName(in.cc)) + s.substr(4);
  switch (in.op) {
  case Opcode::Set:
  case Opcode::Set64:
    if (in.cc != Cond::None) s += "." + std::string(safeCond(in.cc));
    break;
  case Opcode::Load: s += "." + std::string(safeWidth(in.width)); break;
  case Opcode::Store: s += "." + std::string(storeWidth(in.width)); break;
  default: break;
  }

  if (in.op == Opcode::Call) {
    s += " @" + in.callee + " (" + joinOperands(in.uses) + ") -> (" + joinOperands(in.defs) + ")";
  } else if (in.op == Opcode::CallInd) {  // calli #SIG, INDEX (args) -> (results)
    OperandList args = in.uses;
    const std::string index = args.empty() ? "?" : printOperand(args.back());
    if (!args.empty()) args.pop_back();
    s += " #" + std::to_string(in.imm) + ", " + index + " (" + joinOperands(args) + ") -> (" +
         joinOperands(in.defs) + ")";
  } else {
    std::vector<std::string> parts;
    for (const Operand &o : in.defs) parts.push_back(printOperand(o));
    for (size_t u = 0; u < in.uses.size(); ++u) {
      if (isMemoryOp(in.op) && u + 1 == in.uses.size())
        parts.push_back("[" + printOperand(in.uses[u]) + "+" + std::to_string(in.imm) + "]");
      else
        parts.push_back(printOperand(in.uses[u]));
    }
    switch (in.op) {
    case Opcode::MovI:
    case Opcode::GGet:
    case Opcode::GSet: parts.push_back("#" + std::to_string(in.imm)); break;
    case Opcode::AdjSp:
      parts.push_back("#" + std::to_string(static_cast<int32_t>(in.imm)));
      break;
    case Opcode::Br:
    case Opcode::BrIf:
    case Opcode::BrTable:
      for (BlockId t : in.targets)
        parts.push_back(t < names.size() ? names[t] : "bb" + std::to_string(t));
      break;
    case Opcode::Trap:
    case Opcode::TrapIf: parts.emplace_back(safeTrap(in.reason)); break;
    default: break;
    }
    for (size_t p = 0; p < parts.size(); ++p) s += (p ? ", " : " ") + parts[p];
  }
  if (in.origin != Origin::Original) s += " !" + std::string(safeOrigin(in.origin));
  return s;
}

}  // namespace

std::string printOperand(const Operand &o) {
  switch (o.kind) {
  case Operand::Kind::VReg: return "v" + std::to_string(o.value);
  case Operand::Kind::PReg:
    return o.value < kNumPRegs ? std::string(pregName(o.preg())) : "r?" + std::to_string(o.value);
  case Operand::Kind::Imm: return "#" + std::to_string(o.value);
  case Operand::Kind::Stack: return "[sp+" + std::to_string(o.value) + "]";
  case Operand::Kind::SReg: return "s" + std::to_string(o.value);
  case Operand::Kind::DReg: return "d" + std::to_string(o.value);
  }
  return "<invalid operand>";
}

std::string printInstr(const Instr &i, const Function &f) {
  return printInstrNamed(i, blockNames(f));
}

std::string printFunction(const Function &f) {
  std::string s = "func @" + f.name + printSig(f.sig) + (f.allocated ? " allocated {\n" : " {\n");
  if (f.wasmIndex >= 0) s += "  wasm " + std::to_string(f.wasmIndex) + "\n";
  for (size_t v = 0; v < f.vregInfo.size(); ++v) {
    const VRegInfo &vi = f.vregInfo[v];
    if (vi.kind == VRegInfo::Kind::Temp && vi.index < 0 && vi.hiOf < 0) continue;
    s += "  vreg v" + std::to_string(v) + " ";
    s += static_cast<unsigned>(vi.kind) <= static_cast<unsigned>(VRegInfo::Kind::Stack)
             ? vregKindName(vi.kind)
             : "?";
    if (vi.index >= 0) s += " " + std::to_string(vi.index);
    if (vi.hiOf >= 0) s += " hi v" + std::to_string(vi.hiOf);
    s += "\n";
  }
  std::vector<std::string> names = blockNames(f);
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    s += names[b] + ":\n";
    for (const Instr &in : f.blocks[b].instrs) s += "  " + printInstrNamed(in, names) + "\n";
  }
  return s + "}\n";
}

std::string printModule(const Module &m) {
  std::string s;
  if (m.memoryPages != 0 || m.memoryMax || !m.globals.empty() || !m.imports.empty() || !m.data.empty() || !m.types.empty() ||
      !m.table.empty()) {
    s += "module {\n";
    if (m.memoryPages != 0 || m.memoryMax)
      s += "  memory " + std::to_string(m.memoryPages) +
           (m.memoryMax ? " max " + std::to_string(*m.memoryMax) : std::string()) + "\n";
    for (size_t g = 0; g < m.globals.size(); ++g)
      s += "  global " + std::to_string(g) + (m.globals[g].mut ? " mut " : " const ") +
           std::to_string(m.globals[g].init) + "\n";
    for (const Import &im : m.imports) s += "  import @" + im.name + " " + printSig(im.sig) + "\n";
    for (size_t k = 0; k < m.data.size(); ++k) {
      s += "  data " + std::to_string(k) + (m.data[k].passive ? " passive" : " active");
      for (uint8_t b : m.data[k].bytes) s += " " + std::to_string(b);
      s += "\n";
    }
    for (size_t t = 0; t < m.types.size(); ++t)
      s += "  type " + std::to_string(t) + " " + printSig(m.types[t]) + "\n";
    if (!m.table.empty()) s += "  table " + std::to_string(m.table.size()) + "\n";
    for (size_t k = 0; k < m.table.size(); ++k) {
      const TableSlot &sl = m.table[k];
      if (sl.kind == TableSlot::Kind::Opaque) s += "  elem " + std::to_string(k) + " opaque\n";
      if (sl.kind == TableSlot::Kind::Func)
        s += "  elem " + std::to_string(k) + " @" + sl.func + " " + std::to_string(sl.type) + "\n";
    }
    s += "}\n";
  }
  for (size_t i = 0; i < m.functions.size(); ++i) {
    if (i || !s.empty()) s += "\n";
    s += printFunction(m.functions[i]);
  }
  return s;
}

}  // namespace vcr::mir
