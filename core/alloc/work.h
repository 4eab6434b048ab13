#pragma once
/// Internal to the allocator: the working form and the phase entry points.
/// The working form is a mir::Function whose operands mix vregs with the
/// physical registers and stack words of the ABI lowering (abi.cpp). Spill
/// slots appear in it as symbolic stack words: an `lds`/`sts` marked
/// !spill/!reload holds the spilled vreg's number as its offset until the
/// frame is laid out (frame.cpp); an `lds !inarg` holds the incoming offset
/// of a stack parameter (relative to SP at entry).

#include "core/alloc/allocator.h"
#include "core/alloc/interference.h"
#include "core/alloc/liveness.h"
#include "core/ir/cfg.h"

#include <string>
#include <vector>

namespace vcr::alloc {

/// The function being allocated and what the phases learn about it.
struct WorkFunction {
  mir::Function fn;             ///< working form (mixed vregs / registers)
  uint32_t numVRegs = 0;        ///< next fresh vreg
  std::vector<bool> noSpill;    ///< per vreg: a spill temp (never spilled again)
  bool hasCalls = false;
  uint32_t outgoingBytes = 0;   ///< largest outgoing stack-argument area
  std::vector<bool> everSpilled;  ///< per vreg: spilled in some round

  /// A fresh vreg (a spill temp when `temp`).
  mir::VReg freshVReg(bool temp);
};

/// Result of colouring one round.
struct Colouring {
  std::vector<int> colour;       ///< per node: register number, or -1
  std::vector<uint32_t> spilled; ///< actual spills (vreg nodes)
};

/// ABI lowering of a vreg-form function (params, calls, returns) into the
/// working form. Returns false with `error` set on malformed input.
bool lowerAbi(const mir::Function &f, const mir::Module &m, WorkFunction &out, std::string &error);

/// Iterated register coalescing over `g` with the registers of `pool`.
[[nodiscard]] Colouring colourGraph(Interference &g, const WorkFunction &w, const arm::Pool &pool);

/// Rewrite the spilled nodes of a failed round: remat, in-arg reload or a
/// stack slot with short-lived temps. Updates the spill counters of `stats`.
void spillNodes(WorkFunction &w, const std::vector<uint32_t> &spilledNodes, AllocStats &stats);

/// Replace vregs by their colours and delete self-moves, giving the
/// allocated form in `out`. False (with `error`) if a vreg has no colour.
bool rewriteColours(const WorkFunction &w, const Colouring &c, mir::Function &out, std::string &error);

/// Slot sharing, frame layout, prologue/epilogue and stack-offset fix-ups.
void layoutFrame(mir::Function &out, const WorkFunction &w, AllocStats &stats);

/// Graphviz rendering of a snapshot of the interference graph.
/// Spilled vregs are drawn dashed red, move pairs as dotted edges.
[[nodiscard]] std::string renderDot(const std::string &name, const GraphSnapshot &g,
                                    const Colouring &finalColours, const WorkFunction &w);

/// An allocator-inserted (or rebuilt) instruction.
inline mir::Instr makeInstr(mir::Opcode op, std::vector<mir::Operand> defs,
                            std::vector<mir::Operand> uses, mir::Origin o, uint32_t imm = 0) {
  mir::Instr i;
  i.op = op;
  i.defs = std::move(defs);
  i.uses = std::move(uses);
  i.origin = o;
  i.imm = imm;
  return i;
}

}  // namespace vcr::alloc
