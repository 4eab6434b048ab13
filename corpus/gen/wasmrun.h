#pragma once
// Reference execution of wasm modules with the wabt interpreter: the oracle
// for fixtures, kernels and generated modules (results, traps, memory).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vcr::gen {

/// Outcome of WasmRunner::call.
struct WasmCallResult {
  /// True when the call ran (it returned or trapped); false on a bad call
  /// (unknown export, wrong argument count), see `error`.
  bool ran = false;
  /// True when the call trapped; `trap` holds wabt's message (e.g. "integer
  /// divide by zero", "out of bounds memory access: ...", "unreachable executed").
  bool trapped = false;
  /// wabt's trap message when trapped.
  std::string trap;
  /// Results as raw bits (i32 values zero-extended to 64 bits).
  std::vector<uint64_t> results;
  /// Why the call could not be made (ran == false).
  std::string error;
};

/// One instantiated module. The import "env" "ext" (param i32 i64)
/// (result i32), if present, is bound to extHost(); other imports are refused.
class WasmRunner {
public:
  /// Instantiates a binary module; on failure returns null and sets *error
  /// (naming `filename`).
  static std::unique_ptr<WasmRunner> load(const std::vector<uint8_t> &wasm, const std::string &filename,
                                          std::string *error);
  /// Instantiates a WAT module (assembled with wabt), as load().
  static std::unique_ptr<WasmRunner> loadWat(const std::string &wat, const std::string &filename,
                                             std::string *error);
  ~WasmRunner();
  WasmRunner(const WasmRunner &) = delete;
  WasmRunner &operator=(const WasmRunner &) = delete;

  /// Calls the exported function `name`; args are raw bits (an i32 argument
  /// uses the low 32 bits). Memory and globals persist between calls.
  WasmCallResult call(const std::string &name, const std::vector<uint64_t> &args);
  /// Base of linear memory 0 (null without a memory); valid until the next call.
  uint8_t *memory();
  /// Size of linear memory 0 in bytes (0 without a memory).
  uint64_t memorySize();
  /// Names of the exported functions, in export order.
  std::vector<std::string> exportedFunctions() const;
  /// Param count of an exported function (-1 when there is no such export).
  int paramCount(const std::string &name) const;
  /// True when param i of export `name` is i64 (false for i32 or no such param).
  bool paramIsI64(const std::string &name, unsigned i) const;

  /// The deterministic host function bound to env.ext.
  static uint32_t extHost(uint32_t a, uint64_t b);

  /// The wabt store, module and instance (wasmrun.cpp).
  struct Impl;

private:
  /// Use load() or loadWat().
  explicit WasmRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Assembles WAT text to a binary module (with the name section); on failure
/// returns an empty vector and sets *error.
std::vector<uint8_t> watToWasm(const std::string &wat, const std::string &filename, std::string *error);

}  // namespace vcr::gen
