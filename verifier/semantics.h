#pragma once
/// The checker's SMT statement of MIR value semantics (docs/mir.md,
/// "Semantics"), written independently of the reference interpreter; a test
/// holds the two against each other on random values. Everything is over
/// 32-bit words; i64 pairs are (lo, hi).

#include "core/ir/mir.h"
#include "verifier/smt/smt.h"

#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace vcr::verifier {

/// The checker's own classification of opcodes, written here rather than
/// read from core/ir's opcode table (opcodes.def), so that a wrong flag there
/// cannot make the checker skip or drop an instruction. A test holds the two
/// against each other.
/// Pure: a function of its operands only (no memory, globals, trap, control,
/// stack or ABI role); exactly the opcodes evalPure computes.
[[nodiscard]] bool isPureOp(mir::Opcode op);
/// Ends a block: br, brif, brtable, ret, trap.
[[nodiscard]] bool isTerminatorOp(mir::Opcode op);

/// The one or two result words of a pure opcode (no allocation).
class Words {
public:
  Words() = default;
  /// One word.
  explicit Words(smt::Term a) : w_{a, {}}, n_(1) {}
  /// Two words, low first.
  Words(smt::Term lo, smt::Term hi) : w_{lo, hi}, n_(2) {}
  /// Number of words.
  [[nodiscard]] size_t size() const { return n_; }
  /// Word k.
  [[nodiscard]] smt::Term operator[](size_t k) const { return w_[k]; }
  /// The words in order.
  [[nodiscard]] const smt::Term *begin() const { return w_.data(); }
  /// End of the words.
  [[nodiscard]] const smt::Term *end() const { return w_.data() + n_; }

private:
  std::array<smt::Term, 2> w_{};
  uint8_t n_ = 0;
};

/// Result words of a pure (register-to-register) opcode given its use
/// words (immediates already turned into constants; movi takes its value
/// from `in.imm`). nullopt if `in.op` is not pure (memory, calls, control,
/// stack, param).
[[nodiscard]] std::optional<Words> evalPure(smt::Context &c, const mir::Instr &in,
                                            const std::vector<smt::Term> &uses);

/// The Boolean `a cc b` on words of equal width (32 or 64 bits).
[[nodiscard]] smt::Term condTerm(smt::Context &c, mir::Cond cc, smt::Term a, smt::Term b);

/// The effective address zext(addr) + offset of a load/store, as 64 bits
/// (no wrap-around).
[[nodiscard]] smt::Term effectiveAddress(smt::Context &c, smt::Term addr, uint32_t offset);
/// The `oob` trap condition of an access of `bytes` bytes at `ea` (64-bit)
/// into a memory of `memBytes` bytes: ea + bytes > memBytes.
[[nodiscard]] smt::Term outOfBounds(smt::Context &c, smt::Term ea, unsigned bytes,
                                    uint64_t memBytes);
/// The same for a memory whose size in bytes is the 32-bit term `sizeBytes`
/// (a growable memory: the original's state, or R10).
[[nodiscard]] smt::Term outOfBounds(smt::Context &c, smt::Term ea, unsigned bytes, smt::Term sizeBytes);
/// `memgrow` on a memory of `sizeBytes` bytes (32-bit, a page multiple) with
/// maximum `maxPages`: {d, the new size in bytes}: if old + delta <= max
/// (old = sizeBytes >> 16, no wrap) d = old and the size grows by delta
/// pages, else d = 0xffffffff and the size stays (docs/mir.md "Growing memory").
[[nodiscard]] std::pair<smt::Term, smt::Term> growMemory(smt::Context &c, smt::Term sizeBytes, smt::Term delta,
                                                         uint32_t maxPages);
/// The word a `load` of width `w` yields at effective address `ea` (64-bit).
[[nodiscard]] smt::Term loadValue(smt::Context &c, smt::Term mem, smt::Term ea, mir::Width w);

/// Little-endian read of `bytes` bytes of `mem` at the 32-bit address `addr`.
[[nodiscard]] smt::Term loadBytes(smt::Context &c, smt::Term mem, smt::Term addr, unsigned bytes);
/// Little-endian write of the low `bytes` bytes of `value` at `addr`.
[[nodiscard]] smt::Term storeBytes(smt::Context &c, smt::Term mem, smt::Term addr, smt::Term value,
                                   unsigned bytes);

}  // namespace vcr::verifier
