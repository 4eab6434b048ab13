#pragma once
/// Well-formedness of MIR: operand counts and kinds per opcode, one
/// terminator at the end of every block, branch targets in range, callees
/// that exist with matching arity, the form rule (vreg form: no physical
/// registers or stack operands; allocated form: no vregs), and in vreg form
/// every use defined on every path from the entry.

#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <cstddef>
#include <vector>

namespace vcr::mir {

/// Appends one diagnostic per problem (function name filled in) and returns
/// true iff none was found.
bool validateFunction(const Function &f, const Module &m, Diagnostics &out);
/// With `fnIndex`, the vector is made as long as `out` and, at the position
/// of each diagnostic this call appends, holds the index in m.functions of
/// the function it is about (SIZE_MAX for the module's own; positions of
/// diagnostics `out` held before keep their entries, or SIZE_MAX): two
/// functions of one name are told apart (a duplicate name is reported at
/// the later definition).
bool validateModule(const Module &m, Diagnostics &out, std::vector<size_t> *fnIndex = nullptr);

}  // namespace vcr::mir
