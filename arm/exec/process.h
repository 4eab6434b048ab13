#pragma once
/// Processes and files for arm/exec and its users: a private temp directory,
/// running an external tool with its output captured, whole-file I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::exec {

/// A fresh directory from mkdtemp, removed (recursively) on destruction
/// unless keep() was called.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  [[nodiscard]] bool ok() const { return !path_.empty(); }
  [[nodiscard]] const std::string &path() const { return path_; }
  [[nodiscard]] const std::string &error() const { return error_; }
  /// Leave the directory in place.
  void keep() { keep_ = true; }

private:
  std::string path_, error_;
  bool keep_ = false;
};

/// Outcome of one tool invocation.
struct ToolResult {
  bool ok = false;       ///< spawned and exited with status 0
  std::string output;    ///< its stderr and stdout, or why it could not run
};

/// Run argv[0] (looked up on PATH) with stdin from /dev/null and stdout and
/// stderr captured through a file in `dir`.
[[nodiscard]] ToolResult runTool(const std::vector<std::string> &argv, const std::string &dir);

/// Write `text` to `path`; false on failure.
[[nodiscard]] bool writeFile(const std::string &path, std::string_view text);

/// Read a whole file; false on failure.
[[nodiscard]] bool readFile(const std::string &path, std::vector<uint8_t> &out);

}  // namespace vcr::exec
