// Temp directories and external tool invocation (posix_spawnp) for arm/exec.
#include "arm/exec/process.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

namespace vcr::exec {

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl = fmt::format("{}/vcr-exec-XXXXXX", base && *base ? base : "/tmp");
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()))
    path_ = buf.data();
  else
    error_ = fmt::format("cannot create a temp dir from '{}': {}", tmpl, std::strerror(errno));
}

TempDir::~TempDir() {
  if (path_.empty() || keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);  // best effort
}

bool writeFile(const std::string &path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out);
}

bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

ToolResult runTool(const std::vector<std::string> &argv, const std::string &dir) {
  ToolResult r;
  if (argv.empty()) {
    r.output = "no tool given";
    return r;
  }
  const std::string logPath = dir + "/tool-output.txt";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char *> cargv;
  for (const std::string &a : argv) cargv.push_back(const_cast<char *>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    r.output = rc == ENOENT ? fmt::format("tool '{}' not found on PATH (install binutils-arm-none-eabi?)", argv[0])
                            : fmt::format("cannot run '{}': {}", argv[0], std::strerror(rc));
    return r;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      r.output = fmt::format("waitpid for '{}' failed: {}", argv[0], std::strerror(errno));
      return r;
    }
  }
  std::vector<uint8_t> log;
  if (readFile(logPath, log)) r.output.assign(log.begin(), log.end());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    r.ok = true;
  } else if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 127 && r.output.empty())
      r.output = fmt::format("tool '{}' could not be executed", argv[0]);
    r.output = fmt::format("'{}' exited with status {}:\n{}", argv[0], WEXITSTATUS(status), r.output);
  } else {
    r.output = fmt::format("'{}' was killed by signal {}:\n{}", argv[0], WTERMSIG(status), r.output);
  }
  return r;
}

}  // namespace vcr::exec
