#pragma once
/// Soundness fuzzing of the independent checker (issue 12): random and
/// hole-shaped edits to correct allocations, judged by execution. Every
/// mutant the checker proves is run in the reference interpreter (allocated
/// form) and, emitted to Thumb-2, in Unicorn, and compared with the vreg
/// form; a proved mutant that behaves differently is a soundness bug.
/// Mutant generation: soundness_fuzz.cpp; subjects and judging:
/// soundness_campaign.cpp; the report: soundness_report.cpp.

#include "core/ir/mir.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::tools::fuzz {

/// The kinds of edit a mutant is made of. The first group is random edits
/// anywhere; the second is shaped like the checker holes of issue 12.
enum class EditKind : uint8_t {
  RegOperand,    ///< any register operand (use or def) becomes any of R0-R12, SP, LR (an S/D register: another S/D register)
  InsertMove,    ///< `mov rA, rB` inserted (random origin tag, mostly !move)
  InsertMovI,    ///< `movi rA, #k` inserted
  InsertSpill,   ///< `sts [sp+N], rA` inserted
  InsertReload,  ///< `lds rA, [sp+N]` inserted
  InsertPushPop, ///< `push`/`pop` inserted (alone or as a pair)
  Delete,        ///< an instruction removed
  Duplicate,     ///< an instruction copied (next to it or later in its block)
  StackOffset,   ///< a [sp+N] operand moved
  FrameSize,     ///< an `adjsp` amount changed (alone or with its counterparts)
  Retag,         ///< an instruction's origin tag changed
  Reorder,       ///< two instructions of a block swapped
  BranchTarget,  ///< a branch target changed
  Immediate,     ///< an immediate (movi value, offset, global index) changed
  StoreBeforeTrap,     ///< the value of a store that precedes a possible trap in its block
  GsetBeforeTrap,      ///< the value of a gset that precedes a possible trap in its block
  ForgottenFrameWord,  ///< a dropped frame word reloaded twice around a store to it
  ReservedClobber,     ///< R9/R10/R11 written (push/pop, movi, lds, mov) before an access
  HugeFrame,           ///< a huge `adjsp` with a spill store into it
  DroppedSave,         ///< callee-saved registers the function never writes pushed at entry, the copies dropped (`adjsp`) before each return
};
inline constexpr unsigned kNumEditKinds = 20;
/// "RegOperand", ...
[[nodiscard]] std::string_view editKindName(EditKind k);
/// The kind named `name`, if any.
[[nodiscard]] std::optional<EditKind> editKindFromName(std::string_view name);

/// One applied edit.
struct Edit {
  EditKind kind = EditKind::RegOperand;
  std::string description;  ///< "bb2:5 `add r0, r1, r2` -> `add r0, sp, r2`"
};

/// A mutant: the edited allocated function and what was done to it.
struct FuzzMutant {
  mir::Function function;
  std::vector<Edit> edits;
  /// "[Kind] description; [Kind] description".
  [[nodiscard]] std::string describe() const;
};

/// A mutant of `allocated` with 1-4 edits (deterministic in `seed`). Each
/// edit kind is drawn at random; a kind with no site in the (already
/// edited) function is redrawn. nullopt only if no edit applies at all.
[[nodiscard]] std::optional<FuzzMutant> makeMutant(const mir::Function &allocated, uint64_t seed);

/// A mutant made of exactly the given edit kinds in order, kinds without a
/// site skipped (tests use it to reach one shape); nullopt if none applied.
[[nodiscard]] std::optional<FuzzMutant> makeMutantOf(const mir::Function &allocated,
                                                     const std::vector<EditKind> &kinds, uint64_t seed);

/// How the judge classified one mutant.
enum class Outcome : uint8_t {
  StructRejected,     ///< refuted by a syntactic (structure/frame/abi) obligation
  Refuted,            ///< refuted by the SMT layer (testing or Z3)
  Unknown,            ///< not refuted, but some obligation undecided
  ProvedEquivalent,   ///< proved, and every run agrees with the vreg form
  ProvedDifferent,    ///< proved, and some run differs: a checker soundness bug
  ProvedInterpError,  ///< proved, runs agree in Unicorn, but the interpreter read a value-less register
};
inline constexpr unsigned kNumOutcomes = 6;
/// "structurally-rejected", "refuted", "unknown", "proved-equivalent",
/// "proved-different", "proved-interp-error".
[[nodiscard]] std::string_view outcomeName(Outcome o);

/// Knobs of a campaign.
struct CampaignOptions {
  unsigned mutants = 2000;          ///< mutants to try in all
  uint64_t seed = 1;
  std::vector<std::string> corpus;  ///< files/dirs of .wat/.wasm (default: corpus/fixtures, corpus/kernels, tools/fuzz/shapes.wat)
  unsigned generated = 4;           ///< generated modules (corpus/gen) added to the corpus
  bool legacy = true;               ///< also start from the legacy model's allocations
  bool unicorn = true;              ///< run proved mutants in Unicorn (needs binutils)
  unsigned inputs = 20;             ///< seeded inputs per function (plus trap-biased ones)
  unsigned timeoutMs = 1000;        ///< per solver query for mutants
  std::string outDir;               ///< where proved-but-different mutants are written ("" = nowhere)
  bool verbose = false;             ///< progress lines on stderr
  std::vector<EditKind> only;       ///< if set, every mutant is exactly these edits (one shape), not random ones
  bool explain = false;             ///< each rejected mutant and its first refuted obligation on stderr
  /// Write every mutant here ("" = nowhere): base<i>.vreg.mir per subject,
  /// m<k>.alloc.mir per mutant, and verdicts.tsv (file, vreg file, function,
  /// checker verdict proved/refuted/unknown, edits), for the Coq validator.
  std::string dumpDir;
  /// --memory-max PAGES: select with memory that really grows (memgrow); the
  /// oracle and Unicorn grow to the same maximum.
  std::optional<uint32_t> memoryMax;
};

/// One proved mutant that behaved differently (or made the interpreter err).
struct Finding {
  Outcome outcome = Outcome::ProvedDifferent;
  std::string subject;      ///< "memory.wat:@f [vcr-ra]"
  std::string function;
  std::string edits;        ///< FuzzMutant::describe()
  std::string difference;   ///< "unicorn input #3 (1, 2): ..." / "interp ..."
  std::string files;        ///< "<out>/<stem>.vreg.mir + .alloc.mir", if written
};

/// Counts of a campaign.
struct CampaignReport {
  unsigned tried = 0;
  std::array<unsigned, kNumOutcomes> outcomes{};
  /// Mutants containing each edit kind, by outcome.
  std::array<std::array<unsigned, kNumOutcomes>, kNumEditKinds> byKind{};
  unsigned subjects = 0, functionsSkipped = 0;
  unsigned unicornRuns = 0, interpRuns = 0;   ///< executions of proved mutants
  unsigned provedRunInUnicorn = 0;            ///< proved mutants that Unicorn ran
  unsigned provedNotEmitted = 0;              ///< proved mutants the emitter declined (interpreter only)
  unsigned checkerExceptions = 0;             ///< checkFunction threw (counted as unknown)
  double seconds = 0, checkSeconds = 0, runSeconds = 0;
  double buildSeconds = 0;                    ///< emitting, assembling and linking (part of runSeconds)
  std::vector<Finding> findings;
  std::vector<std::string> notes;             ///< skipped functions, build problems

  [[nodiscard]] unsigned count(Outcome o) const { return outcomes[static_cast<unsigned>(o)]; }
  /// The table: outcomes, per edit kind, throughput, findings.
  [[nodiscard]] std::string text() const;
  [[nodiscard]] nlohmann::json json() const;
};

/// Run a campaign: load and allocate the inputs, make `mutants` mutants
/// spread over every function and allocation, check and judge each one.
[[nodiscard]] CampaignReport runCampaign(const CampaignOptions &opt);

}  // namespace vcr::tools::fuzz
