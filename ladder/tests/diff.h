#pragma once
/// Test helpers of the ladder tests: selecting corpus files and running the
/// vreg and allocated forms of a module side by side in the interpreter.

#include "arm/target/cpu.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vcr::ladder::test {

/// Outcome of a differential run of one function.
struct Diff {
  bool same = true;
  std::string why;  ///< the first difference
  unsigned runs = 0;
};

/// Run `fn` of both modules on `inputs` seeded inputs (core/ir/diff.h: the
/// same memory image and globals on both sides); compare status, results,
/// trap reason, memory and globals. An interpreter Error is a difference.
[[nodiscard]] Diff differential(const mir::Module &vregForm, const mir::Module &allocated,
                                const std::string &fn, unsigned inputs, uint64_t seed);

/// Every .wat/.wasm file under VCR_SOURCE_DIR/corpus, sorted.
[[nodiscard]] std::vector<std::string> corpusFiles();

/// Select a file for `cpu`; fails the current test on error.
[[nodiscard]] mir::Module selectFile(const std::string &path, arm::Cpu cpu = arm::Cpu::CortexM4);

}  // namespace vcr::ladder::test
