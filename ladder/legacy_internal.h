#pragma once
/// Internals of the legacy allocator model shared by its translation units:
/// the pre-walk analysis (homes, reservations, promotion, alias pushes) and
/// the walker's register-file state.

#include "ladder/legacy.h"

#include "arm/target/target.h"
#include "core/ir/cfg.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vcr::ladder::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;
using mir::PReg;
using mir::VReg;

/// Thrown by the walker on an exhaustion error (or malformed input).
struct Exhausted {
  LegacyError kind;
  std::string where;
};

/// Stack offsets at or above this mark are incoming-argument words (offset
/// from the SP at entry); they are rebased once the frame size is known.
inline constexpr uint32_t kIncoming = 0x40000000u;

/// Where a vreg lives across instructions, fixed for the whole function.
/// A VFP register is named by its first S unit (Dn: unit 2n) and its class.
struct Home {
  enum class Kind : uint8_t { None, Reg, Frame } kind = Kind::None;
  PReg reg = PReg::R0;  ///< Reg, core class: a param's home or a promoted local's register
  uint32_t off = 0;     ///< Frame: byte offset in the home area, or kIncoming + entry offset
  unsigned unit = 0;    ///< Reg, VFP class: the first S unit (kUnpicked: not yet picked)
};

/// A VFP block value's register before the walk picks it.
inline constexpr unsigned kUnpicked = 0xffu;
/// The legacy VFP file: S0-S15 (D0-D7); S16-S31 are never used.
inline constexpr unsigned kVfpUnits = 16;

/// A frame-homed local read by an instruction whose wasm `local.get` the
/// model places earlier: the value is loaded after instruction `pushAfter`
/// and held in a register (a stack entry) until operand `operand` of `useAt`.
struct AliasPush {
  size_t pushAfter = 0, useAt = 0;
  unsigned operand = 0;
  VReg v = 0;
};

/// Facts computed before the walk.
struct Analysis {
  mir::Function fn;                     ///< the input
  std::vector<Home> home;               ///< per vreg
  std::vector<mir::RegClass> cls;       ///< per vreg: core, f32 or f64
  std::vector<int64_t> release;         ///< per vreg with a Reg home (param or promoted local): last reserved position (-1: none)
  std::vector<int32_t> partner;         ///< per vreg: the other half of its i64, or -1
  std::vector<bool> lo;                 ///< per vreg: the low half of an i64
  std::vector<bool> zeroInit;           ///< per block 0 instr: selection's local zero-initialisation
  std::vector<size_t> blockStart;       ///< global position of each block's first instruction
  std::vector<std::vector<AliasPush>> aliases;  ///< per block
  std::vector<std::map<VReg, size_t>> lastUse;  ///< per block: in-block temps' last use index
  std::vector<std::map<size_t, uint32_t>> constDiv;  ///< per block: divisions by a non-power-of-two constant
  std::vector<mir::PReg> temps;         ///< the temp pool in round-robin order
  /// i32 values crossing a block boundary, by start position: their
  /// register (Home::reg, PC until then) is picked when the walk gets there.
  std::vector<std::pair<size_t, VReg>> blockValues;
  unsigned paramRegs = 0;               ///< R0-R3 words the params take (the cursor starts there)
  bool leaf = true;                     ///< no call but inline bulk-memory loops (the legacy rules' "leaf")
  bool calls = false;                   ///< the code calls something (a bulk-memory routine included)
  std::vector<std::map<size_t, bool>> bulk;  ///< per block: bulk-memory calls (LEGACY.md: inline byte loops)
  bool hasI64 = false;                  ///< some value is an i64: the 8-slot spill area exists at every rung
  bool usesVfp = false;                 ///< some value is f32/f64: calls save S0-S15 in a 16-word area
  unsigned promoted = 0;
  uint32_t homeBytes = 0;     ///< bytes of the home area
  uint32_t outBytes = 0;      ///< outgoing-argument area
  unsigned depthBound = 0;    ///< operand-stack depth bound
  std::string error;          ///< malformed input
};

/// Analyse `f` for configuration `cfg`.
[[nodiscard]] Analysis analyse(const mir::Function &f, const mir::Module &m, const LegacyConfig &cfg,
                               const LegacyEnv &env);

/// Local promotion (legacy_homes.cpp): R4..R8 in local-index order for the
/// eligible locals, counted on the wasm operators when `wasm` is given.
void promote(Analysis &a, const mir::Cfg &cfg, const WasmFunctionFacts *wasm);
/// Register homes' release points (a.release), loop-extended.
void reserveParams(Analysis &a, const WasmFunctionFacts *wasm);
/// Divisions by a non-power-of-two constant (a.constDiv).
void constDivisions(Analysis &a);

/// True when a vreg is an in-block temporary (not homed anywhere).
[[nodiscard]] inline bool isTemp(const Analysis &a, VReg v) {
  return v >= a.home.size() || a.home[v].kind == Home::Kind::None;
}
/// True when a vreg is of a VFP class.
[[nodiscard]] inline bool isVfpV(const Analysis &a, VReg v) {
  return v < a.cls.size() && a.cls[v] != mir::RegClass::Core;
}
/// The operand of a VFP register: Sn for f32, Dn/2 for f64.
[[nodiscard]] inline Operand vfpOperand(mir::RegClass c, unsigned unit) {
  return c == mir::RegClass::F64 ? Operand::dreg(unit / 2) : Operand::sreg(unit);
}
/// S units of a VFP register operand (first, count).
[[nodiscard]] inline std::pair<unsigned, unsigned> unitsOf(const Operand &o) {
  return o.isDReg() ? std::pair<unsigned, unsigned>{2 * o.value, 2} : std::pair<unsigned, unsigned>{o.value, 1};
}
/// True when two VFP register operands share an S unit.
[[nodiscard]] inline bool overlaps(const Operand &x, const Operand &y) {
  const auto [x0, xn] = unitsOf(x);
  const auto [y0, yn] = unitsOf(y);
  return x0 < y0 + yn && y0 < x0 + xn;
}

using mir::makeInstr;

/// The walker's state for one function.
class Walker {
public:
  Walker(Analysis &a, const mir::Module &m, const LegacyConfig &cfg);
  /// Walk every block; throws Exhausted.
  mir::Function run();
  /// Stats of the output.
  alloc::AllocStats stats;

private:
  /// A value held for the operand stack (a temp, a result or an alias push).
  struct Entry {
    VReg v = 0;
    bool defined = false;   ///< false: register reserved for a pending i64 half
    bool inReg = false;
    PReg reg = PReg::R0;
    int slot = -1;          ///< pool slot when spilled
    uint32_t word = 0;      ///< word within the slot
    uint64_t seq = 0;       ///< push order (smaller = deeper)
    int partner = -1;       ///< entry of the other i64 half
    bool dead = false;
    bool alias = false;     ///< an alias of a register home (`reg`): no register of its own until reloaded
    mir::RegClass cls = mir::RegClass::Core;
    unsigned unit = 0;      ///< VFP class, inReg: the first S unit
  };

  // legacy_state.cpp: the register file
  [[nodiscard]] bool isFree(PReg r) const;
  [[nodiscard]] bool inPool(PReg r) const;
  [[nodiscard]] int freePoolSlot() const;
  [[nodiscard]] unsigned freeCount() const;
  PReg takeReg(int entry);
  std::pair<PReg, PReg> takePair(int loEntry, int hiEntry);
  bool spillDeepest();
  int newEntry(VReg v, bool defined);
  void releaseEntry(int e);
  Operand materialise(int e);
  void fail(LegacyError k) const;
  // legacy_vfp.cpp: the VFP file (S0-S15 lowest free first, D0-D7)
  [[nodiscard]] bool vfpFree(unsigned unit, unsigned n) const;
  /// The lowest free register of class `cls` (S0-S15 / D0-D7) for which
  /// `avoid` is false, or nullopt.
  template <class Avoid>
  [[nodiscard]] std::optional<Operand> lowestFreeVfp(mir::RegClass cls, Avoid &&avoid) const {
    const unsigned n = cls == mir::RegClass::F64 ? 2 : 1;
    for (unsigned u = 0; u + n <= kVfpUnits; u += n)
      if (const Operand r = vfpOperand(cls, u); vfpFree(u, n) && !avoid(r)) return r;
    return std::nullopt;
  }
  Operand takeVfp(int entry);
  /// A register of the entry's class (round-robin core temp or lowest free VFP).
  Operand take(int entry);
  bool spillDeepestVfp();
  [[nodiscard]] Operand regOf(int e) const;
  void claimVfp(int e, const Operand &r);
  void vfpParallelMove(std::vector<std::pair<Operand, Operand>> moves);  ///< (dst, src): S/D registers
  /// Save the live S0-S15 values in the 16-word area around `call`; returns the saved registers.
  std::vector<Operand> saveVfp(const Instr &call);
  /// True when core register `r` is the register home of a result of `call`.
  [[nodiscard]] bool resultHome(const Instr &call, PReg r) const;
  /// Bind an f32/f64 call result (in S0/D0) after the call, around `reloads`
  /// (the saved registers coming back).
  void vfpCallResult(const Instr &in, size_t idx, Operand where, const std::vector<Instr> &reloads);

  // legacy_walk.cpp: the walk
  void walkBlock(mir::BlockId b);
  void emitEntry();
  void step(const Instr &in, size_t idx);
  Operand useOperand(const Instr &in, size_t idx, unsigned k, std::vector<int> &scratch);
  void defineTemp(VReg v, size_t idx, std::vector<int> &scratch, Operand &out);
  void afterInstr(size_t idx);
  void emitRet(const Instr &in, size_t idx);
  void finishFrame(mir::Function &out);
  [[nodiscard]] Operand homeSlot(VReg v) const;
  void updateReserved(size_t pos, bool inclusive);
  [[nodiscard]] bool homeLive(VReg v, size_t pos, bool forDef) const;
  void claim(int e, PReg r);
  void pickBlockValues(size_t pos);

  // legacy_calls.cpp: calls and parallel moves
  void emitCall(const Instr &in, size_t idx);
  void parallelMove(std::vector<std::pair<PReg, PReg>> moves);  ///< (dst, src); cycles through a free R4-R8 or a pool slot

  Analysis &a_;
  const mir::Module &m_;
  LegacyConfig cfg_;
  std::vector<Entry> entries_;
  std::array<int, mir::kNumPRegs> owner_{};      ///< entry in each register, -1 free
  std::array<bool, mir::kNumPRegs> reserved_{};  ///< param home or promoted local
  std::array<int, kVfpUnits> vowner_{};          ///< entry in each S unit, -1 free
  std::array<bool, kVfpUnits> vreserved_{};      ///< VFP param home or block value
  std::array<bool, kVfpUnits> vreservedD_{};     ///< the first unit of a reserved D register
  std::map<VReg, int> valueEntry_;    ///< in-block temp -> entry
  std::map<std::pair<size_t, unsigned>, int> aliasEntry_;  ///< (use instr, operand) -> entry
  std::vector<bool> poolUsed_;
  std::vector<int> pinned_;
  unsigned cursor_ = 0;
  uint64_t seq_ = 0;
  size_t nextBlockValue_ = 0;  ///< the next of a_.blockValues to pick
  mir::BlockId block_ = 0;
  std::vector<Instr> out_;
  bool hasCalls_ = false;
  uint32_t saveOff_ = 0, vsaveOff_ = 0, poolOff_ = 0, homeOff_ = 0, bodyBytes_ = 0;
  uint32_t saveWords_ = 0;  ///< the call save area: R0-R3, R12 (and LR when it is a temp)
  std::string where_;
  std::optional<std::pair<VReg, Operand>> lastStored_;  ///< the last frame store of this instruction
};

}  // namespace vcr::ladder::detail
