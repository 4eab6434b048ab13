#pragma once
/// Register classes of vregs, inferred from the opcodes that define and use
/// them (docs/vfp.md, docs/mir.md "Float classes"): each operand position of
/// an opcode has a class (mir::operandClass), `mov` joins the classes of its
/// two operands, and a vreg no position constrains is Core. The validator
/// runs this and reports a vreg used in two classes and a physical register
/// of the wrong class.

#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <vector>

namespace vcr::mir {

/// Classes of the vregs of `f`: `out[v]` for v < f.numVRegs(). Appends one
/// diagnostic per class conflict (function, block, instruction and both
/// uses named) and per physical operand of the wrong class; returns true iff
/// none was found. On a conflict `out[v]` keeps the first class seen.
/// Parameter and result operands take their classes from `f.sig`, call and
/// calli operands from the callee's signature in `m` (mir::operandClasses);
/// without `m` call operands constrain nothing.
bool inferClasses(const Function &f, std::vector<RegClass> &out, Diagnostics &diags,
                  const Module *m = nullptr);

/// The classes alone (Core where a conflict left it ambiguous): for layers
/// that run on validated MIR. Pass the module whenever the function calls
/// something returning or taking f32/f64.
[[nodiscard]] std::vector<RegClass> vregClasses(const Function &f, const Module *m = nullptr);

}  // namespace vcr::mir
