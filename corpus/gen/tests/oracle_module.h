#pragma once
/// Test helper: a wasm module run by the project's oracle (vcr::select::Oracle)
/// with its memory and globals kept between calls, and its exported functions
/// called by name.

#include "arm/select/oracle.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vcr::gen::testing {

/// One instantiated module whose state persists from call to call.
class OracleModule {
public:
  /// Load a .wat or .wasm file; null with *error (diagnostics text) on failure.
  static std::unique_ptr<OracleModule> loadFile(const std::string &path, std::string *error);
  /// Assemble and load WAT text; `file` names it in diagnostics.
  static std::unique_ptr<OracleModule> loadWat(const std::string &wat, const std::string &file,
                                               std::string *error);

  /// Call the exported function `name` (args one uint64 per param) on the
  /// current memory and globals, which then take the final state of the run
  /// (also after a trap). An unknown export gives Status::Error.
  select::OracleRun call(const std::string &name, const std::vector<uint64_t> &args);
  /// Linear memory 0 (empty without a memory); writes take effect on the next call.
  std::vector<uint8_t> &memory() { return memory_; }
  /// Globals table words (i32: one word, i64: lo, hi), in wasm global order.
  std::vector<uint32_t> &globals() { return globals_; }
  /// Names of the exported functions, in export order.
  const std::vector<std::string> &exportedFunctions() const { return exportOrder_; }
  /// Param count of an exported function (-1 when there is no such export).
  int paramCount(const std::string &name) const;

private:
  /// An exported function: its wasm function-space index and param count.
  struct Export {
    uint32_t index = 0;
    int params = 0;
  };
  /// Use loadFile() or loadWat().
  explicit OracleModule(select::Oracle oracle) : oracle_(std::move(oracle)) {}
  /// Instantiate `bin` and read its exports, memory size and global inits.
  static std::unique_ptr<OracleModule> fromBinary(const select::WasmBinary &bin, std::string *error);

  select::Oracle oracle_;
  std::vector<uint8_t> memory_;
  std::vector<uint32_t> globals_;
  std::map<std::string, Export> exports_;
  std::vector<std::string> exportOrder_;
};

/// True when the run terminated (returned, trapped or exhausted the call stack).
inline bool terminated(const select::OracleRun &r) { return r.status != select::OracleRun::Status::Error; }
/// True when the run ended in a trap (a wasm trap or call stack exhaustion).
inline bool trapped(const select::OracleRun &r) {
  return r.status == select::OracleRun::Status::Trapped || r.status == select::OracleRun::Status::Exhausted;
}

}  // namespace vcr::gen::testing
