#pragma once
/// Internal to the mutation harness (mutation.cpp, mutation_vfp.cpp): a
/// site is one applicable place for a mutation; applying it edits the
/// function and returns the description.

#include "core/ir/mir.h"
#include "core/ir/text.h"
#include "tools/mutation.h"

#include <functional>
#include <string>
#include <vector>

namespace vcr::tools::detail {

/// Applies one mutation to a copy of the function, describing it.
using Site = std::function<std::string(mir::Function &)>;

/// "bb1:4 `add r0, r1, r2`".
inline std::string at(const mir::Function &f, uint32_t b, uint32_t i) {
  return f.blocks[b].label + ":" + std::to_string(i) + " `" + mir::printInstr(f.blocks[b].instrs[i], f) + "`";
}

/// Replace instruction (b, i) by the result of `edit`, describing old -> new.
inline Site editSite(uint32_t b, uint32_t i, std::function<void(mir::Instr &)> edit) {
  return [=](mir::Function &f) {
    std::string before = at(f, b, i);
    edit(f.blocks[b].instrs[i]);
    return before + " -> `" + mir::printInstr(f.blocks[b].instrs[i], f) + "`";
  };
}

/// The sites of a VFP class (mutation_vfp.cpp); nothing for the others.
void vfpSites(const mir::Function &f, MutationClass c, std::vector<Site> &out);

}  // namespace vcr::tools::detail
