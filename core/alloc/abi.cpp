// ABI lowering: params, call arguments/results and return values become moves to and from AAPCS locations.
#include "core/alloc/work.h"
#include "core/ir/classes.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace vcr::alloc {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;

mir::VReg WorkFunction::freshVReg(bool temp, mir::RegClass c) {
  const mir::VReg v = numVRegs++;
  // Byte vectors, grown by one element: a push_back when the vector ends at
  // v (nearly always), no resize call. A vector<bool> cost about a
  // thousand instructions each time, resize() a couple of hundred for the
  // four (callgrind on alloc_bench).
  auto put = [v](auto &vec, auto value) {
    if (vec.size() == v) vec.push_back(value);
    else {
      if (vec.size() < v) vec.resize(v + 1);
      vec[v] = value;
    }
  };
  put(vclass, c);
  put(noSpill, uint8_t(temp));
  put(everSpilled, uint8_t(0));
  put(multiDefWeb, uint8_t(0));
  return v;
}

namespace {

using arm::locOperand;

/// Copy `src` into the register or stack word `l`. A stack word is an
/// outgoing argument (`stack` = OutArg, [sp+N] at the call) or a stack
/// result (`stack` = InArg: [entry sp + N], which the frame layout moves past
/// the frame).
void placeWord(std::vector<Instr> &out, const Operand &src, const arm::WordLoc &l,
               Origin stack = Origin::OutArg) {
  Operand dst = locOperand(l);
  if (src.isImm()) {
    if (l.onStack) {  // never produced by selection; kept total all the same
      out.push_back(makeInstr(Opcode::MovI, {Operand::preg(mir::PReg::R12)}, {}, stack, src.value));
      out.push_back(makeInstr(Opcode::Sts, {dst}, {Operand::preg(mir::PReg::R12)}, stack));
    } else {
      out.push_back(makeInstr(Opcode::MovI, {dst}, {}, Origin::Move, src.value));
    }
  } else if (l.onStack) {
    out.push_back(makeInstr(Opcode::Sts, {dst}, {src}, stack));
  } else {
    out.push_back(makeInstr(Opcode::Mov, {dst}, {src}, Origin::Move));
  }
}

/// Whether a signature has an f32/f64 (mir::touchesVfp).
bool vfpSignature(const mir::Signature &s) {
  return std::any_of(s.params.begin(), s.params.end(), mir::isVfpType) ||
         std::any_of(s.results.begin(), s.results.end(), mir::isVfpType);
}

/// A callee's AAPCS locations, worked out once per lowering.
struct CalleeAbi {
  std::vector<arm::WordLoc> params, results;
  uint32_t stackBytes = 0;  ///< outgoing area: stack arguments, and stack results
  bool vfp = false;         ///< an f32/f64 in the signature
  static CalleeAbi of(const mir::Signature &sig) {
    return {arm::paramLocations(sig), arm::resultLocations(sig), arm::calleeAreaBytes(sig), vfpSignature(sig)};
  }
};

/// Callees by name: the interned name's string (mir::Symbol: equal names
/// are the same string), where a map by the name's characters hashed and
/// compared them at every call; a function calls the same few callees
/// again and again.
using CalleeCache = std::unordered_map<const std::string *, CalleeAbi>;

/// Lower call `in` into `out`; `vfp` is set if the callee's signature has
/// an f32/f64.
bool lowerCall(const Instr &in, const mir::Module &m, WorkFunction &w, std::vector<Instr> &out,
               CalleeCache &cache, bool &vfp, std::string &error) {
  // calli: the signature is types[imm]; its last use, the table index, is
  // an ordinary value the call reads (allocated like any operand).
  const bool ind = in.op == Opcode::CallInd;
  CalleeAbi indAbi;
  const CalleeAbi *abi = &indAbi;
  if (ind) {
    const mir::Signature *sig = m.callSig(in);
    if (!sig || in.uses.empty()) {
      error = "calli with unknown signature id #" + std::to_string(in.imm);
      return false;
    }
    indAbi = CalleeAbi::of(*sig);
  } else {
    auto it = cache.find(&in.callee.str());
    if (it == cache.end()) {
      const mir::Signature *sig = m.calleeSig(in.callee);
      if (!sig) {
        error = "call to unknown function '@" + in.callee + "'";
        return false;
      }
      it = cache.emplace(&in.callee.str(), CalleeAbi::of(*sig)).first;
    }
    abi = &it->second;
  }
  const auto &params = abi->params;
  const auto &results = abi->results;
  if (params.size() + (ind ? 1 : 0) != in.uses.size() || results.size() != in.defs.size()) {
    error = (ind ? std::string("calli") : "call to '@" + in.callee + "'") +
            " has operands that do not match its signature";
    return false;
  }
  vfp |= abi->vfp;
  w.hasCalls = true;
  w.outgoingBytes = std::max(w.outgoingBytes, abi->stackBytes);
  // Stack words first, register words last: short R0-R3 live ranges.
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].onStack) placeWord(out, in.uses[i], params[i]);
  for (size_t i = 0; i < params.size(); ++i)
    if (!params[i].onStack) placeWord(out, in.uses[i], params[i]);
  // The call itself, copied into place from `in` (no Instr moved) and its
  // operands replaced by the ABI locations (no list grows past the copy's
  // room). Built by emplace_back() and assignments instead, an Instr was
  // value-initialised (zeroed) first, which cost more (alloc_bench).
  Instr &call = out.emplace_back(in);
  call.uses.clear();
  call.defs.clear();
  for (const auto &l : params) call.uses.push_back(locOperand(l));
  if (ind) call.uses.push_back(in.uses.back());
  for (const auto &l : results) call.defs.push_back(locOperand(l));
  for (size_t i = 0; i < results.size(); ++i)  // a stack result: from the outgoing area
    out.push_back(results[i].onStack
                      ? makeInstr(Opcode::Lds, {in.defs[i]}, {locOperand(results[i])}, Origin::OutArg)
                      : makeInstr(Opcode::Mov, {in.defs[i]}, {locOperand(results[i])}, Origin::Move));
  return true;
}

}  // namespace

bool lowerAbi(const mir::Function &f, const mir::Module &m, WorkFunction &w, std::string &error) {
  w.fn.name = f.name;
  w.fn.sig = f.sig;
  w.fn.wasmIndex = f.wasmIndex;
  w.fn.floatParams = f.floatParams;
  w.fn.floatResults = f.floatResults;
  w.fn.allocated = false;
  w.numVRegs = static_cast<uint32_t>(f.vregInfo.size());  // then as Function::numVRegs, below
  w.hasCalls = false;
  w.callBlocks.clear();
  w.loweredMoves = 0;
  w.outgoingBytes = 0;
  if (f.blocks.empty()) {
    error = "function has no blocks";
    return false;
  }
  // Blocks are read from `f` directly and each instruction is copied once.
  // A branch to the entry block is invalid MIR (mir::validateFunction): the
  // entry's `param` and the prologue run once.
  // The same pass counts the vregs (Function::numVRegs, without a pass
  // of its own over a cold function) and finds whether the function
  // touches a VFP value (a float opcode or register, a float in its own or
  // a callee's signature, which lowerCall checks with the callee's cached
  // locations; mir::touchesVfp): without one every vreg is core, and the
  // class inference after the copy is skipped (passes over the
  // instructions dominate allocation time on large functions; alloc_bench).
  bool entryTargeted = false;
  bool vfp = vfpSignature(f.sig);
  // mir::isFloatOp by table: a call per instruction otherwise.
  static const auto floatOp = [] {
    std::array<bool, mir::kNumOpcodes> t{};
    for (unsigned k = 0; k < mir::kNumOpcodes; ++k) t[k] = mir::isFloatOp(static_cast<Opcode>(k));
    return t;
  }();
  auto see = [&](const Operand &o) {
    if (o.isVReg() && o.value >= w.numVRegs) w.numVRegs = o.value + 1;
    vfp |= o.isVfp();
  };
  w.fn.blocks.resize(f.blocks.size());
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    w.fn.blocks[b].label = f.blocks[b].label;
    w.fn.blocks[b].instrs.clear();
  }
  const auto params = arm::paramLocations(f.sig);
  const auto results = arm::resultLocations(f.sig);
  w.inArgsWritten = arm::stackResultBytes(f.sig) > 0;
  CalleeCache callees;
  for (size_t b = 0; b < w.fn.blocks.size(); ++b) {
    std::vector<Instr> &out = w.fn.blocks[b].instrs;
    const auto &instrs = f.blocks[b].instrs;
    out.reserve(2 * instrs.size() + 8);  // room for the spill code to come
    bool sawParam = false;
    for (const Instr &in : instrs) {
      if (std::find(in.targets.begin(), in.targets.end(), 0u) != in.targets.end()) entryTargeted = true;
      for (const Operand &o : in.defs) see(o);
      for (const Operand &o : in.uses) see(o);
      if (!vfp && static_cast<size_t>(in.op) < floatOp.size() && floatOp[static_cast<size_t>(in.op)]) vfp = true;
      if (in.op == Opcode::Param) {
        if (b != 0 || sawParam || in.defs.size() != params.size()) {
          error = "malformed 'param' (block " + w.fn.blocks[b].label + ")";
          return false;
        }
        sawParam = true;
        Instr decl = makeInstr(Opcode::Param, {}, {}, Origin::Original);
        for (const auto &l : params) decl.defs.push_back(locOperand(l));
        out.push_back(std::move(decl));
        for (size_t i = 0; i < params.size(); ++i) {
          if (params[i].onStack)
            out.push_back(makeInstr(Opcode::Lds, {in.defs[i]}, {Operand::stack(params[i].offset)}, Origin::InArg));
          else
            out.push_back(makeInstr(Opcode::Mov, {in.defs[i]}, {locOperand(params[i])}, Origin::Move));
        }
      } else if (mir::isCall(in.op)) {
        if (!lowerCall(in, m, w, out, callees, vfp, error)) return false;
        if (w.callBlocks.empty() || w.callBlocks.back() != b) w.callBlocks.push_back(static_cast<uint32_t>(b));
      } else if (in.op == Opcode::Ret) {
        if (in.uses.size() != results.size()) {
          error = "'ret' operands do not match the signature (block " + w.fn.blocks[b].label + ")";
          return false;
        }
        for (size_t i = 0; i < results.size(); ++i) placeWord(out, in.uses[i], results[i], Origin::InArg);
        Instr ret = in;
        ret.uses.clear();
        for (const auto &l : results) ret.uses.push_back(locOperand(l));
        out.push_back(std::move(ret));
      } else {
        out.push_back(in);
      }
    }
    // Counted here, in the block just written (in the cache), rather than
    // by a walk of the allocator's over the whole function.
    for (const Instr &i : out) w.loweredMoves += i.op == Opcode::Mov;
    if (b == 0 && !sawParam && !params.empty()) {
      error = "entry block lacks the 'param' of a function with parameters";
      return false;
    }
  }
  if (entryTargeted) {
    error = "a branch targets the entry block (invalid MIR: the entry block has no predecessors)";
    return false;
  }
  w.noSpill.assign(w.numVRegs, false);
  w.everSpilled.assign(w.numVRegs, false);
  w.multiDefWeb.assign(w.numVRegs, 0);
  // Register classes from the vreg form, where param, ret and call operands
  // take theirs from the signatures (the working form's are registers).
  if (vfp) w.vclass = mir::vregClasses(f, &m);
  else w.vclass.clear();
  w.vclass.resize(w.numVRegs, mir::RegClass::Core);
  w.passClass = mir::RegClass::Core;
  return true;
}

}  // namespace vcr::alloc
