#pragma once
/// Well-formedness of MIR: operand counts and kinds per opcode, one
/// terminator at the end of every block, branch targets in range, callees
/// that exist with matching arity, the form rule (vreg form: no physical
/// registers or stack operands; allocated form: no vregs), and in vreg form
/// every use defined on every path from the entry.

#include "core/ir/diag.h"
#include "core/ir/mir.h"

namespace vcr::mir {

/// Appends one diagnostic per problem (function name filled in) and returns
/// true iff none was found.
bool validateFunction(const Function &f, const Module &m, Diagnostics &out);
bool validateModule(const Module &m, Diagnostics &out);

}  // namespace vcr::mir
