#pragma once
/// Internals of selection shared by its translation units: the module
/// context and the per-function selector (operator walk, control flow,
/// operand stack of vregs). Not part of the public interface.

#include "arm/select/select.h"
#include "arm/select/wasm_limits.h"
#include "core/ir/mir.h"

#include <wabt/ir.h>
#include <wabt/opcode.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace vcr::select::detail {

/// Thrown inside the selector to decline the current function.
struct DeclineError {
  std::string reason;
  /// The byte offset of the instruction the reason is about, if any:
  /// selectModule adds its place (WasmBinary::placeOf).
  std::optional<size_t> offset = std::nullopt;
};

/// One entry of the wasm function space as callers see it.
struct CalleeInfo {
  std::string name;        ///< MIR name (function or import)
  mir::Signature sig;
  bool representable = true;  ///< representable types, results in registers
  bool isImport = false;
};

/// Module-level facts the function selector needs.
struct ModuleCtx {
  const wabt::Module *wm = nullptr;
  std::vector<CalleeInfo> funcs;     ///< wasm function space (imports first)
  std::vector<int32_t> globalWord;   ///< wasm global -> first table word, -1 if none
  std::vector<wabt::Type> globalType;
  bool hasMemory = false;
  /// The memory's effective maximum when it can grow (--memory-max): then
  /// memory.grow is `memgrow`, else the fixed-size lowering.
  std::optional<uint32_t> memoryMax;
  SelectOptions opt;
  /// call_indirect (select_table.cpp): signature id per structural wasm type
  /// key, the ids' MIR signatures, per id the table's functions of that
  /// signature, and why calli cannot be supported ("" if it can).
  std::map<std::string, uint32_t> typeIds;
  std::vector<mir::Signature> types;
  std::vector<std::vector<std::string>> slotFuncs;
  std::string tableProblem = "call_indirect without a table";
  /// Signature id of a wasm function type, if it is representable.
  [[nodiscard]] std::optional<uint32_t> typeIdOf(const wabt::FuncSignature &s) const;
};

/// The structural key of a wasm function type (its param and result types).
[[nodiscard]] std::string typeKey(const wabt::FuncSignature &s);
/// MIR signature of a wasm function type on `cpu`; false if unrepresentable (select.cpp).
[[nodiscard]] bool mirSignature(const wabt::FuncSignature &ws, mir::Signature &sig, arm::Cpu cpu);
/// Signature ids and the function table of `wm` into `out` (after the functions are named).
void layOutTable(const wabt::Module &wm, ModuleCtx &ctx, mir::Module &out);
/// After declines: table slots of functions no longer in `m` become opaque,
/// and the signature ids no slot or calli uses are dropped (ids renumbered).
void settleTable(mir::Module &m);

/// wasm value type -> MIR value type of signatures on `cpu`: on cortex-m4
/// (soft float) f32 is an i32 word and f64 an i64 pair, on an FPU CPU they
/// are F32 / F64 (AAPCS-VFP); nullopt for v128 and refs.
[[nodiscard]] std::optional<mir::ValType> toValType(wabt::Type t, arm::Cpu cpu = arm::Cpu::CortexM4);
/// How a wasm value is held inside a function on `cpu`: as toValType, except
/// that an f64 on cortex-m4f (no double precision) is an i64 lo/hi pair.
[[nodiscard]] std::optional<mir::ValType> valueType(wabt::Type t, arm::Cpu cpu);

/// Lowers one wasm function to vreg MIR. Throws DeclineError.
class FuncSelector {
public:
  FuncSelector(const ModuleCtx &ctx, const wabt::Func &fn, mir::Function &out);
  /// Run the whole lowering; `out` then holds the MIR function.
  void run();
  /// Names of the functions and imports this function calls.
  [[nodiscard]] const std::set<std::string> &callees() const { return callees_; }

private:
  /// An operand-stack value: one vreg, or a (lo, hi) pair for an i64.
  /// `alias` is the wasm local whose vregs these are (local.get pushes an
  /// alias, not a copy), -1 for a temporary.
  /// `vfp` is 32 or 64 for an f32 / f64 held in one VFP-class vreg (FPU CPUs).
  struct Val {
    mir::VReg lo = 0, hi = 0;
    bool wide = false;
    int alias = -1;
    uint8_t vfp = 0;
  };
  /// A wasm control construct being lowered.
  struct Ctrl {
    enum class Kind { Func, Block, Loop, If } kind = Kind::Block;
    std::vector<mir::ValType> results;  ///< the types a branch to the label carries:
                                        ///< results, or a loop's parameters
    std::vector<Val> resultRegs;        ///< where branches put them
    std::optional<mir::BlockId> target; ///< loop header, or end block (made when first needed)
    size_t height = 0;                  ///< operand-stack height at entry
  };

  // --- vregs and emission (select_func.cpp)
  mir::VReg newVReg(mir::VRegInfo::Kind k, int32_t index = -1, int32_t hiOf = -1);
  Val newTemp(bool wide);   ///< a fresh operand-stack value (Kind::Stack)
  Val newTempOf(mir::ValType t);  ///< a fresh operand-stack value held as `t` (valueType)
  Val newTempLike(const Val &v);  ///< a fresh operand-stack value held as `v` is
  /// valueType of `t` on this function's CPU (declines v128 and refs).
  mir::ValType valueTypeOf(wabt::Type t) const;
  mir::VReg newScratch();   ///< a fresh Kind::Temp vreg for lowering internals
  void emit(mir::Instr i);
  void emitMov(mir::VReg d, mir::VReg s);
  void emitMovI(mir::VReg d, uint32_t imm);
  void emitFConst(const Val &d, uint64_t bits);  ///< fconst.f32/.f64 of `bits` into VFP value `d`
  void emitOp(mir::Opcode op, std::vector<mir::VReg> defs, std::vector<mir::VReg> uses);
  void emitOpImm(mir::Opcode op, mir::VReg d, mir::VReg a, uint32_t imm);
  void emitSet(mir::Cond cc, mir::VReg d, mir::VReg a, mir::VReg b);
  void emitSetImm(mir::Cond cc, mir::VReg d, mir::VReg a, uint32_t imm);
  void emitTrapIf(mir::VReg c, mir::TrapReason r);
  void terminate(mir::Instr i);
  mir::BlockId newBlock();
  void startBlock(mir::BlockId b);
  void finishLayout();
  [[noreturn]] void decline(const wabt::Expr &e, const std::string &what) const;
  [[noreturn]] void declineType(const std::string &what) const;

  // --- operand stack
  void push(Val v) { stack_.push_back(v); }
  Val pop();
  void copyAliases(int local);
  void copyAliasesWrittenIn(const wabt::ExprList &body);
  void copyAliasesWrittenIn(const wabt::IfExpr &ie);

  // --- control flow (select_func.cpp)
  void walk(const wabt::ExprList &list);
  void lowerExpr(const wabt::Expr &e);
  /// Decline if one more block/loop/if would nest deeper than kMaxNesting.
  void checkNesting(const wabt::Expr &e) const;
  void lowerBlock(const wabt::Block &b, Ctrl::Kind kind, const wabt::Expr &e);
  void lowerIf(const wabt::IfExpr &ie);
  void endConstruct();
  /// A block type's parameters and results (multi-value), as held on this CPU.
  struct BlockType {
    std::vector<mir::ValType> params, results;
  };
  BlockType blockType(const wabt::Block &b, const wabt::Expr &e);
  Ctrl &label(uint32_t depth, const wabt::Expr &e);
  mir::BlockId targetOf(Ctrl &c);
  void moveResults(Ctrl &c);
  mir::OperandList resultWords(size_t n);
  void lowerBr(const wabt::Expr &e, uint32_t depth);
  void lowerBrIf(const wabt::Expr &e, uint32_t depth);
  void lowerBrTable(const wabt::BrTableExpr &e);
  void lowerReturn();
  /// Operands of the top `types.size()` stack values passed as signature
  /// values of `types` (an i64 pair on cortex-m4f becomes an f64 vreg).
  mir::OperandList sigOperands(const std::vector<mir::ValType> &types);
  /// Each call result's value, and the f64 vreg the call defines when the
  /// value is a pair (an f64 on cortex-m4f).
  using ResultDefs = std::vector<std::pair<Val, std::optional<mir::VReg>>>;
  /// Defs of a call's results of `types` appended to `call`; after the call
  /// is emitted, finishResults converts and pushes them.
  ResultDefs resultDefs(const std::vector<mir::ValType> &types, mir::Instr &call);
  void finishResults(const ResultDefs &rs);
  void lowerCall(const wabt::CallExpr &e);
  void lowerCallIndirect(const wabt::CallIndirectExpr &e);  ///< select_table.cpp
  void lowerLocal(const wabt::Expr &e);
  void lowerGlobal(const wabt::Expr &e);

  // --- operators (select_ops.cpp: i32, memory; select_i64.cpp: i64)
  void lowerOpcode(const wabt::Expr &e, wabt::Opcode op);
  bool lowerI32(const wabt::Expr &e, wabt::Opcode op);
  bool lowerI64(const wabt::Expr &e, wabt::Opcode op);
  /// f32/f64 operators (select_float.cpp; on an FPU CPU lowerVfp first).
  bool lowerFloat(const wabt::Expr &e, wabt::Opcode op);
  /// f32/f64 operators the FPU of cortex-m4f / cortex-m7 computes, or runtime
  /// calls on VFP values (select_vfp.cpp); false for the soft-float rest.
  bool lowerVfp(wabt::Opcode op);
  /// Pop the operands of runtime routine `name` (VFP values moved to core
  /// words), call it on them, return its result as a value of wasm type `result`.
  Val callRuntime(const std::string &name, wabt::Type result = wabt::Type::I32);
  void lowerLoad(const wabt::LoadExpr &e);
  void lowerStore(const wabt::StoreExpr &e);
  void lowerSelect(const wabt::Expr &e);
  /// memory.copy / memory.fill as a call of a bulk-memory runtime routine (select_bulk.cpp).
  void lowerBulk(const wabt::Expr &e);
  void divGuards32(wabt::Opcode op, mir::VReg a, mir::VReg b);
  void divGuards64(wabt::Opcode op, const Val &a, const Val &b);

  const ModuleCtx &ctx_;
  const wabt::Func &fn_;
  mir::Function &out_;
  std::vector<Val> locals_;
  std::vector<Val> stack_;
  std::vector<Ctrl> ctrls_;
  mir::BlockId cur_ = 0;
  bool reachable_ = false;
  std::vector<mir::BlockId> order_;   ///< blocks in the order they were started
  std::set<std::string> callees_;
};

}  // namespace vcr::select::detail
