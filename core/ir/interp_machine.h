#pragma once
/// Private to the reference interpreter: the machine that executes MIR.
/// Prepared per-function tables (block offsets, resolved callees, AAPCS
/// placements), an explicit frame stack (no native recursion per MIR call),
/// the vreg value pool of vreg form, and the register file and stack region
/// of allocated form. Errors, traps and exhaustion unwind with `Halt` after
/// the ExecResult has been filled in.

#include "core/ir/interp.h"
#include "core/ir/mir.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vcr::mir::interp_detail {

/// Where one parameter operand lives at a call boundary (AAPCS, and
/// AAPCS-VFP for f32/f64: docs/vfp.md). An i32 or f32 is one operand of 4
/// bytes, an i64 two core operands (lo, hi), an f64 one operand of 8 bytes
/// (a D register or an 8-byte-aligned stack slot).
struct WordLoc {
  enum class Vfp : uint8_t { None, S, D };
  bool onStack = false;
  uint8_t reg = 0;      ///< R0..R3 when !onStack and vfp == None; else the S or D number
  uint32_t offset = 0;  ///< bytes above SP at the call when onStack
  Vfp vfp = Vfp::None;  ///< when !onStack: an S (S0-S15) or D (D0-D7) register
  uint8_t bytes = 4;    ///< 8 for an f64, else 4
};

/// AAPCS placement of all parameter operands of a signature.
struct Placement {
  std::vector<WordLoc> words;  ///< one per operand (operandCount), an i64 gives lo then hi
  uint32_t stackBytes = 0;     ///< bytes of stack the arguments take
  uint32_t sRegs = 0;          ///< S0-S15 holding parameters (a D register sets both halves)
  uint32_t resultBytes = 0;    ///< bytes of stack the results take (Machine::placementOf sets it)
  /// The caller's area the callee may use: stack arguments and stack results.
  [[nodiscard]] uint32_t areaBytes() const { return stackBytes > resultBytes ? stackBytes : resultBytes; }
};

/// Core values: R0-R3 in order; an i64 in an even pair R0:R1 or R2:R3; the
/// rest on the stack (i64 8-byte aligned); once a core word goes to the
/// stack, no later core word goes back to a register. f32/f64 (AAPCS-VFP,
/// placed independently of the core values): an f32 in the lowest free of
/// S0-S15, an f64 in the lowest free of D0-D7 (so an f32 back-fills an S
/// register left free below an f64); once a VFP value does not fit, it and
/// every later VFP value go to the stack (f64 8-byte aligned). Core and VFP
/// values share the stack area in argument order. Independent of
/// arm::paramLocations (core/ir does not depend on arm/target), and equal
/// to it by contract.
[[nodiscard]] Placement placeParams(const Signature &sig);
/// Result placement (docs/mir.md "Several results"): the results are placed
/// as a parameter list of the result types would be (one result: R0, R0:R1,
/// S0 or D0). A result placed on the stack is an Error where it is used.
[[nodiscard]] Placement placeResults(const Signature &sig);

/// "0x1f": a value for messages.
[[nodiscard]] std::string hex(uint64_t v);
/// "r4", "lr": a register number for messages.
[[nodiscard]] std::string regName(unsigned r);

/// Thrown to unwind the interpreter once the ExecResult is final.
struct Halt {};

/// Why a register holds no value (for error messages).
struct NoValue {
  enum class Kind : uint8_t { Entry, Call, Popped };
  Kind kind = Kind::Entry;
  const Function *fn = nullptr;  ///< function of the entry / call site
  uint32_t block = 0, instr = 0; ///< call site (Call, Popped)
};

/// The allocated-form stack region: 1 MiB below kTop, allocated lazily
/// downwards, with a per-byte state (never written / value / no value).
class StackMem {
public:
  static constexpr uint32_t kTop = 0x20100000u;
  static constexpr uint32_t kSize = 1u << 20;
  static constexpr uint32_t kBottom = kTop - kSize;
  enum State : uint8_t { Unwritten = 0, Value = 1, Poison = 2 };

  /// Word at `addr` (kBottom <= addr, addr + 4 <= kTop). Returns the
  /// weakest state of its bytes (Unwritten, then Poison, then Value).
  State load(uint32_t addr, uint32_t &out);
  /// Store a word with the given state.
  void store(uint32_t addr, uint32_t v, State s);
  /// Forget the bytes in [from, to) (they went below SP).
  void invalidate(uint32_t from, uint32_t to);

private:
  void reserve(uint32_t addr);
  std::vector<uint8_t> bytes_, state_;  ///< cover [kTop - bytes_.size(), kTop)
};

/// Allocated form: where the interpreter maps linear memory (R11 at the
/// outermost entry) and the globals table (R9 at entry); R10 at entry is the
/// memory size in bytes. Both lie apart from the stack region, and R11 is not
/// 0, so that an allocation that zeroes or moves R11 cannot pass by luck.
inline constexpr uint32_t kGlobalsBase = 0x30000000u;
inline constexpr uint32_t kMemBase = 0x40000000u;

/// A function prepared for execution (checked once, on its first entry).
struct PreparedFn {
  bool ready = false;
  uint32_t numVRegs = 0, paramOps = 0, resultOps = 0;  ///< operandCount of params / results
  /// Vreg form: the function has float opcodes or an f64 in its own or a
  /// callee's signature, so each frame's pool has a second region of
  /// numVRegs words holding the high words of f64 vregs.
  bool wide = false;
  std::vector<uint32_t> blockBase;  ///< flat index of each block's first instr
  std::vector<int32_t> callee;      ///< flat per instr: >= 0 function, < 0 -(import+1)
};

/// One activation.
struct Frame {
  uint32_t fn = 0, block = 0, ip = 0;
  uint32_t base = 0;     ///< vreg form: first pool slot
  uint32_t argBase = 0;  ///< vreg form: first argument operand in argBuf_
  uint32_t entrySp = 0, frameLimit = 0, lrToken = 0;  ///< allocated form
  uint32_t savedMask = 0;  ///< allocated form: which of R4-R11 held a value at entry
  std::array<uint32_t, 8> saved{};  ///< allocated form: R4-R11 at entry
  uint32_t savedSMask = 0;           ///< allocated form: which of S16-S31 held a value at entry
  std::array<uint32_t, 16> savedS{}; ///< allocated form: S16-S31 at entry
};

/// The interpreter proper. Use once per execute().
class Machine {
public:
  /// Machine for module `m`; results go to `res`.
  Machine(const Module &m, ExecEnv &env, ExecResult &res);
  /// Run function `fi` on `args` until it returns; throws Halt otherwise.
  void run(uint32_t fi, std::span<const uint64_t> args);
  /// After a run of a growable memory in allocated form: cut the image
  /// (reserved at the maximum) back to the memory size the run ended with.
  void finishMemory();

private:
  // preparation (interp_machine.cpp)
  /// Check function `fi` once and build its tables; Error on malformed MIR.
  const PreparedFn &prepare(uint32_t fi);
  /// Structural checks of instruction `i` of block `b`; resolves callees.
  void checkInstr(const Function &f, PreparedFn &p, uint32_t b, uint32_t i);
  /// Operand `o` (def or use k of instruction i of block b): register
  /// number in range and of the class the opcode wants; Error otherwise.
  void checkClass(const Function &f, uint32_t b, uint32_t i, const Operand &o, bool def, size_t k);
  /// AAPCS placement of a resolved callee's parameters (cached).
  const Placement &placementOf(int32_t callee);
  /// Signature of a resolved callee.
  const Signature &sigOf(int32_t callee) const;
  /// Error at an explicit place (used before the function runs).
  [[noreturn]] void failAt(const Function &f, uint32_t b, uint32_t i, const std::string &msg);
  // diagnostics
  /// "in @f at label:index (mnemonic)" for the current instruction.
  [[nodiscard]] std::string where() const;
  /// Finish with Error at the current instruction.
  [[noreturn]] void fail(const std::string &msg);
  /// Finish with a wasm trap.
  [[noreturn]] void trap(TrapReason r);
  /// Finish with Exhausted (fuel or depth).
  [[noreturn]] void exhaust(const std::string &msg);
  /// Why register `r` holds no value, in parentheses.
  [[nodiscard]] std::string noValueText(unsigned r) const;
  // control
  /// Push a frame for function `fi` (depth-checked); the caller then resumes.
  void enter(uint32_t fi);
  /// Load the current position from the top frame.
  void resume();
  /// Continue at the start of block `b` of the current function.
  void jump(BlockId b);
  // operands
  /// Value of a use operand (Error if it holds none).
  uint32_t read(const Operand &o);
  /// Assign a def operand.
  void write(const Operand &o, uint32_t v);
  /// Value of a 64-bit use (an f64 vreg or a D register).
  uint64_t read64(const Operand &o);
  /// Assign a 64-bit def (an f64 vreg or a D register).
  void write64(const Operand &o, uint64_t v);
  /// Value of S register `n` (Error if it holds none).
  uint32_t readS(unsigned n);
  /// `mov`, `lds`, `sts`: a word, or two for a D register (and in vreg form
  /// the high word of an f64 vreg rides along).
  void execMove(const Instr &in);
  /// A float opcode (interp_float.cpp).
  void execFloat(const Instr &in);
  /// fload / fstore.
  void execFloatMemory(const Instr &in);
  /// Value of physical register `r` (Error if it holds none).
  uint32_t readReg(unsigned r);
  /// Give physical register `r` a value.
  void setReg(unsigned r, uint32_t v);
  /// Take the value of `r` away, remembering the current instruction as why.
  void clobber(unsigned r, NoValue::Kind k);
  /// Check a stack word address against the current frame and the region.
  uint32_t stackAddr(uint64_t addr, const char *what);
  /// Move SP (Error outside the region); bytes it rises over are forgotten.
  void setSp(uint64_t v);
  // instructions (interp.cpp, interp_calls.cpp; the allocated-form call boundary: interp_abi.cpp)
  /// The fetch-execute loop; returns when the outermost function returns.
  void loop();
  /// `param`: assign the argument words (vreg form).
  void execParam(const Instr &in);
  // memory (interp_memory.cpp)
  /// load, load64, store, store64.
  void execMemory(const Instr &in);
  /// The `n` bytes at `addr + offset` of linear memory, or a trap (bounds
  /// check) or an Error (allocated form: R10/R11 led outside the image).
  uint8_t *linearAccess(uint32_t addr, uint32_t offset, unsigned n, const char *what);
  /// A bulk-memory runtime routine (runtimeFns()[k].memory) on hostArgs_:
  /// both ranges bounds-checked (trap oob) before any byte is written.
  void execMemoryRoutine(uint32_t k);
  /// gget, gset.
  void execGlobal(const Instr &in);
  /// Byte offset in the globals table that gget/gset `in` accesses (Error
  /// outside the table).
  uint32_t globalByte(const Instr &in);
  /// memsize: pages of linear memory (allocated form: R10 >> 16).
  uint32_t memorySizePages();
  /// memgrow (docs/mir.md "Growing memory"): vreg form grows the image
  /// (zero-filled); allocated form reads and writes R10 only (the image is
  /// reserved at the maximum), as the emitted code does.
  void execGrow(const Instr &in);
  /// `call` of a function (new frame) or an import (host).
  void execCall(const Instr &in);
  /// `calli`: the three table traps, then a call of the slot's callee.
  void execCallInd(const Instr &in);
  /// Call resolved callee `c` of signature `sig`; the first `nargs` uses are
  /// the argument words (vreg form) and `name` names it in messages.
  void callResolved(const Instr &in, int32_t c, const Signature &sig, size_t nargs,
                    const std::string &name);
  /// `ret`; true when the outermost function returned.
  bool execRet(const Instr &in);
  /// `push`: store registers below SP, lowest register lowest.
  void execPush(const Instr &in);
  /// `pop`: the inverse of push.
  void execPop(const Instr &in);
  /// Read a callee's arguments from their AAPCS homes into hostArgs_.
  void readArgsAllocated(const Placement &pl, const Signature &sig, const std::string &callee);
  /// Word `half` (0, or 1 for the high word of an f64) of an argument from
  /// its AAPCS home (Error if it holds no value).
  uint32_t argWord(const WordLoc &loc, unsigned half, size_t arg, const std::string &callee);
  /// Why S register `n` holds no value, in parentheses.
  [[nodiscard]] std::string sNoValueText(unsigned n) const;
  /// Vreg form: an operand of a value of type `t` as one value (64 bits
  /// for an f64, else a word: one of an i64's two operands).
  uint64_t readValue(const Operand &o, ValType t);
  /// Vreg form: assign a def operand of a value of type `t` (64 bits for an
  /// f64, else the low word of `v`).
  void writeValue(const Operand &o, ValType t, uint64_t v);
  /// After a call: clobber R0-R3, R12, LR and S0-S15, write the result (R0,
  /// R0:R1, S0 or D0), step past the call.
  void finishCall(const Signature &sig, std::span<const uint64_t> results);
  /// Outermost entry in allocated form: canaries, arguments, SP, LR.
  void startAllocated(uint32_t fi, std::span<const uint64_t> args);
  /// Enter function `fi` in allocated form on the current machine state.
  void enterAllocated(uint32_t fi);
  /// Call the import of a resolved callee with hostArgs_.
  std::vector<uint64_t> callHost(int32_t callee);

  const Module &m_;
  ExecEnv &env_;
  /// The arbitrary word read from location `loc` that holds no value (garbage mode).
  [[nodiscard]] uint32_t garbage(uint64_t loc) const;
  ExecResult &res_;
  bool alloc_ = false;
  /// Allocated form, growable memory: the memory size in bytes, as the last
  /// memgrow set it (R10 must equal it at every return); the image is bigger.
  uint64_t memBytes_ = 0;
  std::vector<PreparedFn> prep_;
  std::vector<Placement> fnPlace_, impPlace_;
  std::vector<uint8_t> fnPlaced_, impPlaced_;
  std::vector<Frame> frames_;
  // current position, cached from frames_.back()
  const Function *fn_ = nullptr;
  const Instr *code_ = nullptr;
  uint32_t ncode_ = 0, ip_ = 0, block_ = 0, base_ = 0;
  uint32_t hiBase_ = 0;  ///< vreg form: pool index of v0's high word (wide functions)
  bool wide_ = false;    ///< vreg form: the current function has a high-word region
  const int32_t *calleeTab_ = nullptr;
  // vreg form
  std::vector<uint64_t> pool_;
  /// One value per operand (an f64 operand carries 64 bits, others 32).
  std::vector<uint64_t> argBuf_, retBuf_;
  // allocated form
  std::array<uint32_t, kNumPRegs> regs_{};
  uint32_t defined_ = 0;
  std::array<NoValue, kNumPRegs> why_{};
  /// The VFP register file S0-S31 (Dn = S2n:S2n+1), which hold a value.
  std::array<uint32_t, kNumSRegs> sregs_{};
  uint32_t sdefined_ = 0;
  std::array<NoValue, kNumSRegs> swhy_{};
  uint32_t sp_ = StackMem::kTop;
  uint32_t nextToken_ = 0;
  StackMem stack_;
  // host calls
  std::vector<uint64_t> hostArgs_;
  /// data.drop: the segments dropped in this run (sized on first use).
  std::vector<uint8_t> dropped_;
  // calli: per table slot, the resolved callee (kUnresolved until first use)
  static constexpr int32_t kUnresolved = INT32_MIN;
  std::vector<int32_t> slotCallee_;
};

}  // namespace vcr::mir::interp_detail
