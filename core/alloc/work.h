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

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace vcr::alloc {

/// A set of physical registers as a bit mask (bit i = r_i).
using PRegMask = uint32_t;

/// The registers of one register class as colours (docs/vfp.md): one
/// allocation pass per class runs the same phases over the vregs of that
/// class. Colours are the class's units: core R0-R15, f32 S0-S31, f64
/// D0-D15 (in the f32 pass a D register is the two units of its S pair; in
/// the f64 pass an S register is the unit of the D register holding it).
struct ClassRegs {
  mir::RegClass cls = mir::RegClass::Core;
  PRegMask pool = 0;    ///< allocatable colours
  PRegMask caller = 0;  ///< clobbered by calls: free to use
  PRegMask callee = 0;  ///< callee-saved: the first use costs a save and a restore
  [[nodiscard]] unsigned size() const { return popcount32(pool); }
  [[nodiscard]] unsigned calleeCount() const { return popcount32(callee); }
  /// Core: the pool's registers; caller-saved R0-R3 and R12, callee-saved R4-R11.
  [[nodiscard]] static ClassRegs core(const arm::Pool &p) {
    return {mir::RegClass::Core, p.regs.mask(), 0x100fu & p.regs.mask(), 0x0ff0u & p.regs.mask()};
  }
  /// f32: S0-S31, S0-S15 clobbered by calls (AAPCS-VFP); f64: D0-D15, D0-D7 clobbered.
  [[nodiscard]] static ClassRegs vfp(mir::RegClass c) {
    return c == mir::RegClass::F32 ? ClassRegs{c, 0xffffffffu, 0x0000ffffu, 0xffff0000u}
                                   : ClassRegs{c, 0x0000ffffu, 0x000000ffu, 0x0000ff00u};
  }
};

/// The colour to give a value that may take any register of `ok`:
/// caller-saved first (free at calls), then callee-saved registers already
/// pushed (`usedCallee`), then any other, lowest first (for core: a new
/// callee-saved register, LR last); -1 if `ok` is empty. IRC's select and
/// the spill repair share this order.
[[nodiscard]] inline int pickFreeColour(PRegMask ok, PRegMask usedCallee, PRegMask caller = 0x100f) {
  for (PRegMask pass : {ok & caller, ok & usedCallee, ok})
    if (pass) return __builtin_ctz(pass);
  return -1;
}

/// The weight of one instruction of block `b` in spill and move costs:
/// 10^loop-depth, the depth capped at 8 (docs/optimal.md, the cost model).
[[nodiscard]] inline double depthWeight(const mir::Cfg &cfg, size_t b) {
  static constexpr double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  return kPow10[b < cfg.loopDepth.size() ? std::min(cfg.loopDepth[b], 8u) : 0];
}

/// The function being allocated and what the phases learn about it.
struct WorkFunction {
  mir::Function fn;             ///< working form (mixed vregs / registers)
  uint32_t numVRegs = 0;        ///< next fresh vreg
  // Bytes, not vector<bool>: a fresh vreg appends to both (a spill round
  // makes thousands), and vector<bool>'s append is a slow path.
  std::vector<uint8_t> noSpill;    ///< per vreg: a spill temp (never spilled again)
  bool hasCalls = false;
  /// The blocks that hold a call (ascending; set by lowerAbi). Later passes
  /// insert copies and spill code but never a call or a block, so the list
  /// stays true: a pass that looks at calls walks these blocks only.
  std::vector<uint32_t> callBlocks;
  uint32_t outgoingBytes = 0;   ///< largest outgoing stack-argument (and stack-result) area
  uint32_t loweredMoves = 0;    ///< `mov`s in the ABI-lowered form (AllocStats::movesBefore)
  /// The function returns a result on the stack, into its incoming area: a
  /// stack parameter may not be reloaded from its incoming slot, which a
  /// result store may have overwritten (no SpillKind::InArg).
  bool inArgsWritten = false;
  std::vector<uint8_t> everSpilled;  ///< per vreg: spilled in some round
  /// Per vreg: a web of a vreg the original defines more than once
  /// (splitWebs). Never rematerialised even when its one definition is a
  /// `movi`: the checker rematerialises only vregs whose one definition in
  /// the whole original function is that `movi` (verifier/pairing.h).
  std::vector<uint8_t> multiDefWeb;
  /// Per vreg: its register class (from the vreg form, mir::vregClasses).
  std::vector<mir::RegClass> vclass;
  /// The class being allocated: spill temps are of this class.
  mir::RegClass passClass = mir::RegClass::Core;
  std::vector<mir::Instr> scratch;  ///< a block being rewritten (storage reused)
  /// The numbering of the current round's graph. Empty: node kVRegBase + v
  /// for vreg v. A VFP class pass whose round needs no spill repair numbers
  /// its class's vregs alone, in vreg order (allocate.cpp): node kVRegBase +
  /// k is vreg nodeVReg[k], and vregNode[v] is v's node or kNoNode. The
  /// order is the vregs' order, so every choice by node order is the same.
  std::vector<uint32_t> nodeVReg, vregNode;
  [[nodiscard]] uint32_t vregOfNode(uint32_t n) const {
    return nodeVReg.empty() ? n - kVRegBase : nodeVReg[n - kVRegBase];
  }
  [[nodiscard]] uint32_t nodeOfVReg(mir::VReg v) const {
    return vregNode.empty() ? kVRegBase + v : v < vregNode.size() ? vregNode[v] : kNoNode;
  }
  /// The compact numbering of class `c`'s vregs (nodeVReg, vregNode).
  void numberClass(mir::RegClass c) {
    nodeVReg.clear();
    vregNode.assign(numVRegs, kNoNode);
    for (uint32_t v = 0; v < numVRegs; ++v)
      if (classOf(v) == c) {
        vregNode[v] = kVRegBase + static_cast<uint32_t>(nodeVReg.size());
        nodeVReg.push_back(v);
      }
  }
  /// Back to the full numbering (node kVRegBase + v for vreg v).
  void numberAll() {
    nodeVReg.clear();
    vregNode.clear();
  }

  /// A fresh vreg of class `c` (a spill temp when `temp`).
  mir::VReg freshVReg(bool temp, mir::RegClass c);
  /// The class of vreg v (core for one without class information).
  [[nodiscard]] mir::RegClass classOf(mir::VReg v) const {
    return v < vclass.size() ? vclass[v] : mir::RegClass::Core;
  }
};

/// Result of colouring one round.
struct Colouring {
  std::vector<int> colour;       ///< per node: register number, or -1
  std::vector<uint32_t> spilled; ///< actual spills (vreg nodes)
  /// Bits merges set in the graph's rows while IRC ran (it clears them
  /// again): few, which is why IRC extends the graph's rows in place.
  uint32_t rowBitsAdded = 0;
};

/// ABI lowering of a vreg-form function (params, calls, returns) into the
/// working form. Returns false with `error` set on malformed input.
bool lowerAbi(const mir::Function &f, const mir::Module &m, WorkFunction &out, std::string &error);

/// What the passes before colouring share (split.cpp): splitAtCalls,
/// splitAtLoopExits and splitWebs each ask for the liveness of a few vregs,
/// and each walk that builds one costs as much as the others. So one
/// liveness is built for all three, over the vregs any of them can ask
/// about. The splits only insert `mov v, v` where v is live on both
/// sides, which changes no vreg's liveness: `lv` stays true through them.
/// `flat` (the picked vregs' operands in code order, for splitWebs) does
/// not: the splits record where each copy went (`inserted`), and splitWebs
/// reads the copies from there, in their places among the flat code's.
struct PrePassLiveness {
  /// A copy `mov v, u` between two vregs in a loop block.
  struct LoopCopy {
    mir::BlockId block;
    mir::VReg v, u;
  };
  std::vector<uint32_t> defs;            ///< per vreg: its definitions (the splits' copies added)
  std::vector<uint8_t> callCand;         ///< per vreg: an argument that arrives in its own register
  std::vector<uint32_t> callCandBlocks;  ///< the blocks of their calls, ascending
  std::vector<LoopCopy> loopCopies;      ///< in block order
  /// Over the vregs the enabled passes ask about: the multiply-defined
  /// ones (splitWebs), callCand (splitAtCalls), the loop copies' targets
  /// (splitAtLoopExits).
  GlobalLiveness lv;
  bool built = false;                    ///< false: nothing to ask about, `lv` is empty
  /// The passes the liveness was built for: a pass given it for another
  /// builds its own (its vregs may not be in `lv`).
  bool forCalls = false, forLoopExits = false, forWebs = false;
  FlatCode flat;                         ///< the picked vregs' operands, as the code was before any copy
  /// A copy `mov v, v` a split inserted: in `block`, before the
  /// instruction at index `pos` of the code before any copy.
  struct Inserted {
    uint32_t block, pos;
    mir::VReg v;
  };
  /// The copies, in code order within each (block, pos) (the splits append
  /// in any order of blocks and positions).
  std::vector<Inserted> inserted;
};

/// Build the shared liveness of `w` as it is after lowerAbi, before the
/// splits and splitWebs, for the passes that will run.
void computePrePassLiveness(const WorkFunction &w, const mir::Cfg &cfg, bool callSplits, bool loopExitSplits,
                            bool webs, PrePassLiveness &out);

/// Live-range splitting at calls (split.cpp): insert `mov v, v` right
/// before each call for every value that is an argument of the call and
/// live after it, so that splitWebs can give the part after the call a vreg
/// of its own. Returns how many copies were inserted. With `pre`
/// (computePrePassLiveness of the function as it is), its liveness is
/// used and its counts updated.
unsigned splitAtCalls(WorkFunction &w, const mir::Cfg &cfg, PrePassLiveness *pre = nullptr);

/// Live-range splitting at loop exits (split.cpp): a value a loop defines
/// once, by a copy of a vreg the loop never defines (an invariant), and
/// that is live out of the loop but not around it, gets `mov v, v` at the
/// start of each exit block (one predecessor) where it is live. splitWebs
/// then gives the part after the loop a vreg of its own, and the copy in
/// the loop can coalesce with the invariant: the move leaves the loop for
/// its exits (the optimum's answer in docs/experiments.md, experiment 1).
/// Returns how many copies were inserted. `pre` as for splitAtCalls.
unsigned splitAtLoopExits(WorkFunction &w, const mir::Cfg &cfg, PrePassLiveness *pre = nullptr);

/// Live-range splitting for callee-saved pressure (callee_split.cpp): where
/// more core values that live across calls are live at once than there are
/// callee-saved registers (`calleeRegs`), the value cheapest to split gets
/// a fresh vreg across each call it crosses (`mov s, v` before the call,
/// `mov v, s` after), while that costs less than its spill weight. Runs on
/// webs (after splitWebs). Returns how many copies were inserted.
unsigned splitForCalleePressure(WorkFunction &w, const mir::Cfg &cfg, unsigned calleeRegs, unsigned poolRegs);

/// A stack parameter whose every use is an argument move into a register
/// and that lives across a call is spilled before colouring (split.cpp):
/// its entry load goes and each argument is loaded straight from the
/// incoming area, where a register would hold it across the call and cost
/// a move per argument. Returns how many were spilled. The same pass drops
/// the entry load of a stack parameter that nothing reads.
unsigned spillArgumentOnlyStackParams(WorkFunction &w, const mir::Cfg &cfg, AllocStats &stats);

/// Split each multiply-defined vreg into its webs (webs.cpp): definitions
/// and uses linked by reaching stay one vreg, every other web gets a fresh
/// one, so unrelated values of one wasm local get their own live ranges.
/// Returns how many fresh vregs were made. With `pre` (the shared
/// liveness, whose counts the splits kept), no liveness of its own is
/// built.
unsigned splitWebs(WorkFunction &w, const mir::Cfg &cfg, const PrePassLiveness *pre = nullptr);

/// Iterated register coalescing over `g` with the registers of `pool`.
/// Coalescing extends `g`'s bit rows while it runs; they are as built
/// again when it returns (the attempt works on copies of the lists,
/// degrees and weights).
[[nodiscard]] Colouring colourGraph(Interference &g, const WorkFunction &w, const ClassRegs &cr);

/// Whether vreg `v`, defined `defCount` times (once: by `def`), is spilled
/// without a slot: rematerialised (its one definition a `movi`, and `v` is
/// not a web of a multiply-defined vreg: the checker rematerialises only
/// vregs whose one definition in the original is that `movi`) or reloaded
/// from its incoming stack slot (its one definition loads a stack parameter).
/// Refilling it then repeats `def`.
[[nodiscard]] bool refillsWithoutSlot(const WorkFunction &w, mir::VReg v, unsigned defCount, const mir::Instr &def);

/// Hint recolouring (recolour.cpp): for each move whose ends have different
/// colours, heaviest first, give one end the other's colour when its
/// neighbours of that colour can move to free ones and the weighted moves
/// fall. `g` must be the graph of the final code; `colour` is per node.
/// Returns the number of changes kept.
unsigned recolourForMoves(const Interference &g, const ClassRegs &cr, std::vector<int> &colour);

/// Spill weights as spilling would cost: a value rematerialised (its one
/// definition a `movi`) or reloaded from its incoming stack slot needs no
/// store, so the weight of its definition is taken off its node's weight in
/// `g`, leaving its uses. spillNodes makes the same classification.
/// `code` is the flat code `g` was built from.
void discountCheapSpills(Interference &g, const WorkFunction &w, const mir::Cfg &cfg, const FlatCode &code);

/// Where spillNodes put each temp it made: the instruction it serves
/// (numbered across blocks from `blockBase`, the index of each block's
/// first instruction before the rewrite) and whether it is loaded before
/// that instruction (kUse) and/or stored after it (kDef).
struct SpillSites {
  static constexpr uint8_t kUse = 1, kDef = 2;
  const std::vector<uint32_t> *blockBase = nullptr;  ///< in
  /// in, optional: per instruction (same numbering), whether it mentions a
  /// spilled value; the others are not read.
  const std::vector<uint8_t> *touches = nullptr;
  /// in, optional: the flat code of that numbering (full node numbering),
  /// where the spilled values' definitions are found without reading the
  /// instructions.
  const FlatCode *code = nullptr;
  uint32_t firstVReg = 0;                            ///< the first temp
  std::vector<uint32_t> instr;                       ///< per temp
  std::vector<uint8_t> kind;                         ///< per temp
  /// in/out, optional (sized by the caller, same numbering): for each
  /// instruction of a rewritten block, the index in the new block of the
  /// first instruction of its group (its reloads, itself, its stores).
  std::vector<uint32_t> *groupStart = nullptr;
};

/// Rewrite the spilled nodes of a failed round: remat, in-arg reload or a
/// stack slot with short-lived temps. Updates the spill counters of `stats`.
/// When `touched` is given it receives the blocks that changed (ascending).
/// When `blocks` is given (ascending), only those blocks mention the
/// spilled nodes and only they are read.
/// When `sites` is given, it records where each temp went.
void spillNodes(WorkFunction &w, const std::vector<uint32_t> &spilledNodes, AllocStats &stats,
                std::vector<uint32_t> *touched = nullptr, const std::vector<uint32_t> *blocks = nullptr,
                SpillSites *sites = nullptr);

/// Repair a failed colouring instead of rebuilding the graph: every
/// coloured node keeps its colour; uncoloured nodes are retried against
/// their own neighbours (a coalesced group that failed as a whole may fit
/// member by member), the rest are spilled, and the spill temps are
/// coloured greedily from the live sets of the blocks that changed. `c`
/// must be the colouring of
/// `g`, which was built with liveness `lv` from `code`, the flat form of
/// the current `w.fn`. Counts
/// the spill step as a round in `stats`. False if a temp finds no colour,
/// even by splitting a value that lives through its instruction:
/// then `w.fn` holds the spills done so far and
/// the caller colours it afresh.
bool repairColouring(WorkFunction &w, const FlatCode &code, const GlobalLiveness &lv,
                     const Interference &g, const ClassRegs &cr, Colouring &c, AllocStats &stats);

/// What the colour rewrite learns in passing for the frame layout.
struct FrameScan {
  arm::RegSet written;                    ///< registers defined (the entry `param` aside)
  uint32_t writtenS = 0;                  ///< S registers defined (a D register: both halves)
  std::vector<uint32_t> dense;            ///< symbolic slot id -> dense index, or kNoNode
  std::vector<uint32_t> ids;              ///< dense index -> symbolic slot id
  std::vector<uint8_t> flags;             ///< per block: 1 slot access, 2 in-arg reload
  /// The slot accesses alone, over dense slot indices (a store defines its
  /// slot, a reload uses it), for the slots' liveness.
  FlatCode slotCode;
  /// Workspace of the slot sharing (kept from call to call).
  GlobalLiveness slotLive;
  std::vector<uint64_t> conflict, live, taken;
  std::vector<uint32_t> slotOf;
};

/// A definition that spilling repeats instead of storing the value: a
/// constant (`movi`, or `fconst` of a float class).
[[nodiscard]] inline bool isRematDef(mir::Opcode op) {
  return op == mir::Opcode::MovI || op == mir::Opcode::FConst32 || op == mir::Opcode::FConst64;
}

/// Give every vreg of class `w.passClass` its colour as an S or D register
/// (a VFP pass; the core pass ends with rewriteColours). The other vregs stay.
/// False with `error` set if one has no colour. With `code`, the pass's
/// flat code of `w.fn` as it is now (no spill repair since it was built),
/// only the instructions it lists are visited: every other instruction has
/// no vreg of the class.
bool rewriteClass(WorkFunction &w, const Colouring &c, std::string &error, const FlatCode *code = nullptr);

/// A spill-slot store or reload (`sts !spill` / `lds !reload`).
[[nodiscard]] inline bool isSlotAccess(const mir::Instr &i) {
  return (i.op == mir::Opcode::Lds && i.origin == mir::Origin::Reload) ||
         (i.op == mir::Opcode::Sts && i.origin == mir::Origin::Spill);
}
/// The symbolic slot of a slot access.
[[nodiscard]] inline uint32_t slotOf(const mir::Instr &i) {
  return i.op == mir::Opcode::Lds ? i.uses[0].value : i.defs[0].value;
}

/// Replace vregs by their colours and delete self-moves, giving the
/// allocated form in `out`; the instructions are moved out of `w.fn`.
/// The same pass fills `scan` and counts the moves, spill stores, reloads
/// and remats of `out` into `stats`. False (with `error`) if a vreg has no
/// colour.
bool rewriteColours(WorkFunction &w, const Colouring &c, mir::Function &out, FrameScan &scan, AllocStats &stats,
                    std::string &error);

/// Slot sharing, frame layout, prologue/epilogue and stack-offset fix-ups
/// of `out`, given what rewriteColours learnt of it.
/// `cfg` is the control flow of `out` (the blocks of the working form).
void layoutFrame(mir::Function &out, const WorkFunction &w, const mir::Cfg &cfg, FrameScan &scan,
                 AllocStats &stats);

/// Graphviz rendering of a snapshot of the interference graph.
/// Spilled vregs are drawn dashed red, move pairs as dotted edges.
[[nodiscard]] std::string renderDot(const std::string &name, const GraphSnapshot &g,
                                    const Colouring &finalColours, const WorkFunction &w);

using mir::makeInstr;

}  // namespace vcr::alloc
