// The HTML report's interference graphs: DOT text drawn to SVG by Graphviz in a subprocess.
#include "tools/html_detail.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

namespace vcr::tools::html {

namespace {

/// Run argv (no shell) with stdout and stderr discarded; the exit status, or
/// -1 with `why` set if it could not start, -2 if it ran over `limit`.
int runQuiet(const std::vector<std::string> &args, std::chrono::seconds limit, std::string &why) {
  std::vector<char *> argv;
  for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    why = rc == ENOENT ? "not found" : std::strerror(rc);
    return -1;
  }
  const auto end = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (true) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() > end) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

bool drawGraph(const std::string &dot, const std::string &dir, const std::string &stem,
               const HtmlOptions &opt, Graph &out, std::string &error) {
  namespace fs = std::filesystem;
  const fs::path dotFile = fs::path(dir) / (stem + ".dot"), svgFile = fs::path(dir) / (stem + ".svg");
  {
    std::ofstream o(dotFile, std::ios::binary);
    o << dot;
    o.close();
    if (!o) {
      error = "cannot write " + dotFile.string();
      return false;
    }
  }
  const std::string keep = " (the DOT text is in " + dotFile.filename().string() + ")";
  if (opt.dotTool.empty()) {
    out.note = "graph drawing is off" + keep;
    return true;
  }
  if (dot.size() > opt.maxDotBytes) {
    out.note = "the graph is too large to draw (" + std::to_string(dot.size()) + " bytes of DOT)" + keep;
    return true;
  }
  std::string why;
  std::error_code ec;
  fs::remove(svgFile, ec);
  // The hierarchical `dot` layout takes minutes on a dense interference graph;
  // the spring layouts take well under a second (sfdp for the largest).
  size_t edges = 0;
  for (size_t at = dot.find(" -- "); at != std::string::npos; at = dot.find(" -- ", at + 4)) ++edges;
  const std::string engine = edges <= 3000 ? "-Kneato" : "-Ksfdp";
  const int rc = runQuiet({opt.dotTool, engine, "-Goverlap=false", "-Tsvg", "-o", svgFile.string(),
                           dotFile.string()},
                          std::chrono::seconds(60), why);
  if (rc == -1)
    out.note = "Graphviz '" + opt.dotTool + "' " + (why.empty() ? "failed" : why) +
               ": the interference graph is not drawn" + keep;
  else if (rc == -2)
    out.note = "Graphviz took over 60 s: the interference graph is not drawn" + keep;
  else if (rc != 0 || !fs::is_regular_file(svgFile, ec))
    out.note = "Graphviz failed (exit " + std::to_string(rc) + ")" + keep;
  else
    out.svgFile = svgFile.filename().string();
  return true;
}

}  // namespace vcr::tools::html
