#pragma once
/// MIR: a Thumb-2-level machine IR. Operands are virtual registers before
/// register allocation and physical registers or SP-relative stack slots
/// after. One instruction set serves both forms; `Function::allocated` says
/// which one a function is in. Semantics: docs/mir.md and core/ir/interp.cpp.

#include "core/ir/small_list.h"
#include "core/ir/symbol.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vcr::mir {

enum class Opcode : uint8_t {
#define X(e, m, nd, nu, fl) e,
#include "core/ir/opcodes.def"
#undef X
};
inline constexpr unsigned kNumOpcodes = 0
#define X(e, m, nd, nu, fl) +1
#include "core/ir/opcodes.def"
#undef X
    ;

/// Static facts about an opcode, from opcodes.def.
struct OpcodeInfo {
  std::string_view mnemonic;
  int ndefs;  ///< -1: variadic
  int nuses;  ///< -1: variadic
  bool terminator, allocatedOnly, sideEffect, immOperand;
};
[[nodiscard]] const OpcodeInfo &info(Opcode op);
[[nodiscard]] std::optional<Opcode> opcodeFromMnemonic(std::string_view m);

/// Register class of a value or operand (docs/vfp.md): a core word
/// (R registers), an f32 (S registers) or an f64 (D registers).
enum class RegClass : uint8_t { Core, F32, F64 };
[[nodiscard]] std::string_view regClassName(RegClass c);
/// Number of VFP registers: S0-S31 and D0-D15 (Dn = S2n:S2n+1).
inline constexpr unsigned kNumSRegs = 32, kNumDRegs = 16;

/// True for the float opcodes of docs/vfp.md (an XF line of opcodes.def).
[[nodiscard]] bool isFloatOp(Opcode op);

/// Physical registers of the Thumb-2 register file (r13 = sp, r14 = lr).
enum class PReg : uint8_t {
  R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, SP, LR, PC
};
inline constexpr unsigned kNumPRegs = 16;
[[nodiscard]] std::string_view pregName(PReg r);
[[nodiscard]] std::optional<PReg> pregFromName(std::string_view s);

/// Condition codes of `set`/`set64`: signed (s) and unsigned (u) orders.
enum class Cond : uint8_t { None, Eq, Ne, SLt, ULt, SGt, UGt, SLe, ULe, SGe, UGe };
[[nodiscard]] std::string_view condName(Cond c);
[[nodiscard]] std::optional<Cond> condFromName(std::string_view s);
/// Evaluate a 32-bit / 64-bit comparison.
[[nodiscard]] bool evalCond(Cond c, uint32_t a, uint32_t b);
[[nodiscard]] bool evalCond64(Cond c, uint64_t a, uint64_t b);

/// Access width of `load`/`store` (stores use U8/U16/W32 as 8/16/32).
enum class Width : uint8_t { W32, U8, S8, U16, S16 };
[[nodiscard]] std::string_view widthName(Width w);
[[nodiscard]] unsigned widthBytes(Width w);

/// Why a trap happened.
/// BadConversion: a float-to-integer truncation of a NaN (wasm's "invalid
/// conversion to integer"); an out-of-range truncation is Overflow.
/// TableOob, NullFunc, BadSig: the three traps of `calli` (wasm's
/// call_indirect): index past the table, null slot, signature mismatch.
enum class TrapReason : uint8_t { Unreachable, DivZero, Overflow, OutOfBounds, BadConversion,
                                  TableOob, NullFunc, BadSig };
inline constexpr TrapReason kLastTrapReason = TrapReason::BadSig;
[[nodiscard]] std::string_view trapName(TrapReason r);
[[nodiscard]] std::optional<TrapReason> trapFromName(std::string_view s);

/// Who created an instruction. Everything but Original is allocator-inserted.
/// Frame: a load/store of a value whose home is a frame slot (the legacy
/// allocator keeps unpromoted locals there); not a spill of a register value.
enum class Origin : uint8_t {
  Original, Move, Spill, Reload, Remat, Prologue, Epilogue, OutArg, InArg, Frame
};
[[nodiscard]] std::string_view originName(Origin o);
[[nodiscard]] std::optional<Origin> originFromName(std::string_view s);

using VReg = uint32_t;
using BlockId = uint32_t;

/// An operand: a virtual register, a physical register, an immediate, or a
/// stack word [sp+offset] (offset in bytes, relative to the current SP).
/// SReg n (S0-S31, one f32) and DReg n (D0-D15, one f64) are the VFP
/// registers (docs/vfp.md); DReg n aliases SReg 2n (low word) and 2n+1.
struct Operand {
  enum class Kind : uint8_t { VReg, PReg, Imm, Stack, SReg, DReg };
  Kind kind = Kind::Imm;
  uint32_t value = 0;

  static Operand vreg(VReg v) { return {Kind::VReg, v}; }
  static Operand preg(PReg r) { return {Kind::PReg, static_cast<uint32_t>(r)}; }
  static Operand imm(uint32_t i) { return {Kind::Imm, i}; }
  static Operand stack(uint32_t off) { return {Kind::Stack, off}; }
  static Operand sreg(uint32_t n) { return {Kind::SReg, n}; }
  static Operand dreg(uint32_t n) { return {Kind::DReg, n}; }
  bool isVReg() const { return kind == Kind::VReg; }
  bool isSReg() const { return kind == Kind::SReg; }
  bool isDReg() const { return kind == Kind::DReg; }
  /// A VFP register (S or D).
  bool isVfp() const { return kind == Kind::SReg || kind == Kind::DReg; }
  bool isPReg() const { return kind == Kind::PReg; }
  bool isImm() const { return kind == Kind::Imm; }
  bool isStack() const { return kind == Kind::Stack; }
  PReg preg() const { return static_cast<PReg>(value); }
  friend bool operator==(const Operand &, const Operand &) = default;
};

/// An instruction's operand or target list. Nearly every instruction has at
/// most four operands and two targets, so they live inside the instruction
/// (no heap allocation per copy, a fixed-size copy per move); longer lists
/// (calls, push/pop, brtable) go to the heap. The API is std::vector's.
using OperandList = SmallList<Operand, 4>;
using TargetList = SmallList<BlockId, 2>;

/// One instruction. Field use by opcode:
///  imm    : movi value; load/store/load64/store64 offset; gget/gset index;
///           adjsp amount (as int32).
///  cc     : set/set64; fset (Eq Ne SLt SGt SLe SGe, written eq ne lt gt le ge).
///  width  : load/store.     reason: trapif/trap.
///  imm    : fload/fstore offset.
///  callee : call (function or import name, without '@').
///  imm    : calli signature id (index in Module::types); calli's last use is
///           the table index, the uses before it are the argument words.
///  targets: br (1), brif (taken, not-taken), brtable (cases..., default).
struct Instr {
  Opcode op = Opcode::Mov;
  Cond cc = Cond::None;
  Width width = Width::W32;
  TrapReason reason = TrapReason::Unreachable;
  Origin origin = Origin::Original;
  uint32_t imm = 0;
  OperandList defs;
  OperandList uses;
  TargetList targets;
  Symbol callee;

  bool isTerminator() const { return info(op).terminator; }
  bool inserted() const { return origin != Origin::Original; }
};

/// An instruction with operands, origin and (movi value, offset, index,
/// amount) immediate: what allocators build when they insert or rewrite code.
[[nodiscard]] inline Instr makeInstr(Opcode op, OperandList defs, OperandList uses,
                                     Origin o, uint32_t imm = 0) {
  Instr i;
  i.op = op;
  i.defs = std::move(defs);
  i.uses = std::move(uses);
  i.origin = o;
  i.imm = imm;
  return i;
}

struct Block {
  std::string label;  ///< printed name; blocks are referred to by index
  std::vector<Instr> instrs;
};

/// Value types of signatures. I32/I64 are core words (an i64 a lo/hi pair,
/// also how cortex-m4's soft float types f32/f64). F32/F64 are VFP values
/// (docs/vfp.md): selection uses them on cortex-m4f/m7 only, where AAPCS-VFP
/// passes them in S/D registers; one operand of class f32/f64 each.
enum class ValType : uint8_t { I32, I64, F32, F64 };
[[nodiscard]] std::string_view valTypeName(ValType t);
/// Size in 32-bit words (an I64 or F64 takes two).
[[nodiscard]] inline unsigned words(ValType t) {
  return t == ValType::I64 || t == ValType::F64 ? 2 : 1;
}
/// Operands a value of type t takes in param/ret/call lists: two core words
/// for an I64 (lo, hi), one operand for the others (an F64 is one f64 vreg,
/// one D register, or one 8-byte stack operand in allocated form).
[[nodiscard]] inline unsigned operandsOf(ValType t) { return t == ValType::I64 ? 2 : 1; }
/// Total operandsOf over a type list.
[[nodiscard]] unsigned operandCount(const std::vector<ValType> &ts);
/// The register class of each operand of a type list, in order (Core for
/// i32 and both words of an i64, F32, F64): the classes of param defs, ret
/// uses, and call/calli argument uses and result defs.
[[nodiscard]] std::vector<RegClass> operandClasses(const std::vector<ValType> &ts);
/// The same into `out` (cleared first; its storage is kept).
void operandClasses(const std::vector<ValType> &ts, std::vector<RegClass> &out);
/// True for F32 and F64.
[[nodiscard]] inline bool isVfpType(ValType t) { return t == ValType::F32 || t == ValType::F64; }

struct Signature {
  std::vector<ValType> params, results;
  friend bool operator==(const Signature &, const Signature &) = default;
};

/// Where a vreg came from in the wasm source; the legacy model needs it.
struct VRegInfo {
  enum class Kind : uint8_t { Temp, Param, Local, Stack };
  Kind kind = Kind::Temp;
  int32_t index = -1;  ///< param or local index (Param/Local)
  int32_t hiOf = -1;   ///< for the high half of an i64: its low half's vreg
};
[[nodiscard]] std::string_view vregKindName(VRegInfo::Kind k);

struct Function {
  std::string name;
  Signature sig;
  bool allocated = false;
  std::vector<Block> blocks;  ///< blocks[0] is the entry
  /// Per-vreg source information, indexed by vreg; may be shorter than
  /// numVRegs() (missing entries are Temp).
  std::vector<VRegInfo> vregInfo;
  int32_t wasmIndex = -1;  ///< index in the wasm function space, if any
  /// Per parameter / result: 32 or 64 when wasm types it f32 / f64 (its
  /// words are that float's bits), else 0; empty when there are none.
  /// Differential inputs favour float edge values there, and NaN results
  /// compare as any NaN (wasm allows any). Not part of the text format.
  std::vector<uint8_t> floatParams, floatResults;

  /// One past the highest vreg mentioned anywhere (0 if none).
  [[nodiscard]] uint32_t numVRegs() const;
  [[nodiscard]] size_t numInstrs() const;
  [[nodiscard]] VRegInfo vinfo(VReg v) const {
    return v < vregInfo.size() ? vregInfo[v] : VRegInfo{};
  }
};

struct Import {
  std::string name;  ///< "module.field"
  Signature sig;
};

struct Global {
  uint32_t init = 0;  ///< word value (an i64 global takes two indices)
  bool mut = true;
};

/// A wasm data segment, for memory.init / data.drop (docs/mir.md "Bulk
/// memory"). Only a passive segment keeps its bytes: an active one was
/// written at instantiation and dropped, so it reads as length 0.
struct DataSegment {
  bool passive = false;
  std::vector<uint8_t> bytes;  ///< empty unless passive
};

/// One slot of the function table that `calli` indexes (wasm table 0).
struct TableSlot {
  enum class Kind : uint8_t {
    Null,   ///< a null element: calli traps nullfunc
    Func,   ///< function or import `func`, of signature id `type`
    Opaque  ///< a function this module cannot call (declined, or a signature MIR
            ///< cannot express); selection guarantees that no calli of the module
            ///< has its signature, so calli traps badsig
  };
  Kind kind = Kind::Null;
  std::string func;   ///< Func: callee name (function or import), without '@'
  uint32_t type = 0;  ///< Func: index in Module::types
};

/// The most pages a growable memory may have: R10 holds the size in bytes,
/// so 65536 pages (4 GiB) do not fit.
inline constexpr uint32_t kMaxGrowPages = 65535;

struct Module {
  uint32_t memoryPages = 0;
  /// Maximum memory size in pages when memory can grow (`memgrow`,
  /// `--memory-max`), at least memoryPages and at most kMaxGrowPages;
  /// nullopt: memory has the fixed size memoryPages (no `memgrow`).
  std::optional<uint32_t> memoryMax;
  std::vector<Global> globals;
  std::vector<Import> imports;
  std::vector<Function> functions;
  std::vector<DataSegment> data;  ///< data segments by wasm index
  /// calli signature ids: one per wasm function type up to structural
  /// equality (an f32 parameter and an i32 one give different ids even where
  /// their MIR signatures agree).
  std::vector<Signature> types;
  std::vector<TableSlot> table;  ///< the function table `calli` indexes

  [[nodiscard]] const Function *findFunction(std::string_view name) const;
  [[nodiscard]] const Import *findImport(std::string_view name) const;
  /// Signature of a callee by name (function, import or runtime routine of
  /// core/ir/runtime_calls.h, in that order), if it exists.
  [[nodiscard]] const Signature *calleeSig(std::string_view name) const;
  /// Signature of a `call` (its callee's) or `calli` (types[imm]); nullptr
  /// if unknown or not a call.
  [[nodiscard]] const Signature *callSig(const Instr &in) const;
};

/// The S register numbers a VFP operand covers: {n} for SReg n, {2n, 2n+1}
/// for DReg n (low word first), empty for any other operand.
[[nodiscard]] SmallList<uint32_t, 2> sregsOf(const Operand &o);
/// Class of a physical register operand (PReg: Core, SReg: F32, DReg: F64);
/// nullopt for vregs, immediates and stack slots.
[[nodiscard]] std::optional<RegClass> physClass(const Operand &o);

/// The class operand k of `in` (a def if `def`, else a use) must have, from
/// the opcode's class signature; nullopt where the position takes an
/// immediate, a stack slot, or is class-polymorphic (`mov`, `lds`, `sts`,
/// `push`, `pop`: any one class), and for the argument, result and parameter
/// operands of call, calli, param and ret, whose classes come from a
/// signature: `operandClasses` of the function's own parameters (param) or
/// results (ret), of the callee's (Module::callSig) arguments and results
/// (call, calli; calli's last use, the table index, is core). All other
/// non-float register positions are Core.
[[nodiscard]] std::optional<RegClass> operandClass(const Instr &in, bool def, size_t k);

/// True when `f` holds a float opcode or a VFP register operand: the layers
/// that do not handle the VFP classes yet decline such a function.
[[nodiscard]] bool usesVfp(const Function &f);
/// usesVfp, or a value of a VFP class passes through `f` without a float
/// opcode: an f32/f64 parameter or result, or a call (callee's signature in
/// `m`) taking or returning one. Layers with no VFP classes decline these.
[[nodiscard]] bool touchesVfp(const Function &f, const Module &m);

/// Condition codes of `fset` (ordered: false on NaN, except ne): eq ne lt
/// gt le ge, stored as Cond Eq Ne SLt SGt SLe SGe.
[[nodiscard]] std::string_view fcondName(Cond c);
[[nodiscard]] std::optional<Cond> fcondFromName(std::string_view s);
/// Evaluate an fset comparison (a, b ordered by IEEE rules).
template <typename T> [[nodiscard]] bool evalFCond(Cond c, T a, T b) {
  switch (c) {
  case Cond::Eq: return a == b;
  case Cond::Ne: return !(a == b);
  case Cond::SLt: return a < b;
  case Cond::SGt: return a > b;
  case Cond::SLe: return a <= b;
  case Cond::SGe: return a >= b;
  default: return false;
  }
}

/// Opcodes whose last use is a linear-memory address `[a+imm]`: load,
/// load64, store, store64, fload, fstore.
[[nodiscard]] inline bool isLinearMemoryOp(Opcode op) {
  return op == Opcode::Load || op == Opcode::Load64 || op == Opcode::Store ||
         op == Opcode::Store64 || op == Opcode::FLoad32 || op == Opcode::FLoad64 ||
         op == Opcode::FStore32 || op == Opcode::FStore64;
}

/// True for `call` and `calli`: AAPCS argument/result annotations, clobbers.
[[nodiscard]] inline bool isCall(Opcode op) { return op == Opcode::Call || op == Opcode::CallInd; }

}  // namespace vcr::mir
