#pragma once
/// The wabt-interpreter side of the oracle, behind a plain C++17 interface:
/// wabt 1.0.32's interpreter headers do not compile as C++20 (template-id
/// destructors), so oracle_engine.cpp is built as C++17 and only this header
/// is shared with the C++20 code. Internal to arm/select.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vcr::select::detail {

/// A function import of the module: wasm value types as 'i' (i32), 'I'
/// (i64) or '?' (anything else).
struct EngineImport {
  std::string module, field;
  std::string params, results;
};

/// Computes a host import's results from its function-import index and args.
using EngineHost =
    std::function<std::vector<uint64_t>(size_t importIndex, const std::vector<uint64_t> &args)>;

/// The outcome of one run, in plain types.
struct EngineRun {
  enum class Status { Returned, Trapped, Exhausted, Error } status = Status::Error;
  std::vector<uint64_t> results;
  std::string trap;
  std::vector<uint8_t> memory;
  std::vector<uint32_t> globals;
  std::string error;
};

/// Read `bytes` with wabt's interpreter reader, which validates every
/// instruction as it streams by and builds no IR. wabt 1.0.32's IR reader
/// fails assertions (aborts) on some malformed bodies and initialisers that
/// this reader rejects with an error (found by fuzz_pipeline), so the loader
/// runs it first. Empty on success, else the messages with " (at byte offset N)".
std::vector<std::string> validateStreaming(const std::string &file, const std::vector<uint8_t> &bytes);

/// A module loaded into, then instantiated in, the wabt interpreter.
class Engine {
public:
  /// Read the binary; nullptr with *error set on failure (also for a memory
  /// of more than 1024 pages, which the interpreter would allocate eagerly).
  /// `memoryMax`: the memory may grow to that many pages; unset, its maximum
  /// is its initial size (memory.grow by a non-zero delta fails).
  static std::unique_ptr<Engine> load(const std::string &file, const std::vector<uint8_t> &bytes,
                                      std::string *error,
                                      std::optional<uint32_t> memoryMax = std::nullopt);
  /// The function imports, in import order.
  const std::vector<EngineImport> &funcImports() const;
  /// Instantiate with `host` behind every function import; false with *error.
  bool instantiate(EngineHost host, std::string *error);
  /// Number of functions in the wasm function space.
  uint32_t numFunctions() const;
  /// Overwrite memory and globals, run the function for at most `budget`
  /// wasm instructions (then Exhausted), read the state back.
  EngineRun run(uint32_t funcIndex, const uint64_t *args, size_t nargs,
                const std::vector<uint8_t> &memoryImage, const std::vector<uint32_t> &globalWords,
                uint64_t budget);

  ~Engine();
  struct State;

private:
  explicit Engine(std::unique_ptr<State> st);
  std::unique_ptr<State> st_;
};

}  // namespace vcr::select::detail
