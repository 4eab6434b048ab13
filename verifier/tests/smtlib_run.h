#pragma once
/// Test helpers for `--smt` exports: read the manifests (verifier/smt_export.h)
/// and run the z3 and cvc5 command-line tools on every exported query, in
/// batches ((reset) between queries) on two worker threads.

#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vcr::verifier::test {

/// One line of a manifest.tsv, with the file's full path.
struct Exported {
  std::string path, id, verdict, method;
  unsigned goals = 0, differing = 0;
};

/// Every manifest line under `root` (recursively), sorted by path.
inline std::vector<Exported> readManifests(const std::filesystem::path &root) {
  namespace fs = std::filesystem;
  std::vector<Exported> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() != "manifest.tsv") continue;
    std::ifstream in(it->path());
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      Exported e;
      std::string file;
      REQUIRE_MESSAGE(static_cast<bool>(std::getline(ls, file, '\t') && std::getline(ls, e.id, '\t') &&
                                        std::getline(ls, e.verdict, '\t') &&
                                        std::getline(ls, e.method, '\t') && (ls >> e.goals >> e.differing)),
                      "bad manifest line in " << it->path() << ": " << line);
      e.path = (it->path().parent_path() / file).string();
      out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const Exported &a, const Exported &b) { return a.path < b.path; });
  return out;
}

/// Both solvers are on PATH; otherwise fail under CI, else report a skip
/// (tests/tool_guard.h).
inline bool solversPresent() {
  const bool z3 = vcr::testing::toolAvailable("z3");
  const bool cvc5 = vcr::testing::toolAvailable("cvc5");
  return z3 && cvc5;
}

/// A fresh scratch directory (the caller removes it when the test passes).
inline std::filesystem::path scratch(const std::string &tag) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vcr_" + tag + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// A whole file as a string.
inline std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// All of a command's standard output and error.
inline std::string runCommand(const std::string &cmd) {
  std::string out;
  if (FILE *p = popen((cmd + " 2>&1").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

/// One answer line per query of `files`, from `solver` ("z3" or "cvc5") with
/// a per-query limit of `perQueryMs`: "sat", "unsat", or what the solver said
/// instead (unknown, timeout, an error; "(no answer)" if it gave none).
/// Queries go in batches of `batch` files, two batches at a time; each
/// process is killed after a hard limit, and the queries a batch left
/// unanswered are asked again one by one. `secs` gets the wall time.
inline std::vector<std::string> solveAll(const std::string &solver, const std::vector<std::string> &files,
                                         const std::filesystem::path &scratch, unsigned perQueryMs,
                                         double &secs, size_t batch = 16) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> answers(files.size(), "(no answer)");
  const size_t nb = (files.size() + batch - 1) / batch;
  std::atomic<size_t> next{0};
  // the solver command for `n` queries, killed after a hard limit
  auto prefix = [&](size_t n) {
    const unsigned hard = 30 + static_cast<unsigned>(n * perQueryMs / 1000);
    const std::string limit = std::to_string(perQueryMs);
    return "timeout " + std::to_string(hard) + " " +
           (solver == "z3" ? "z3 -smt2 -t:" + limit + " "
                           : "cvc5 --lang smt2 --incremental --tlimit-per=" + limit + " ");
  };
  auto worker = [&] {
    for (size_t b; (b = next++) < nb;) {
      const size_t lo = b * batch, hi = std::min(files.size(), lo + batch);
      const std::string path = (scratch / (solver + "_batch" + std::to_string(b) + ".smt2")).string();
      {
        std::ofstream out(path);
        for (size_t k = lo; k < hi; ++k) {
          std::ifstream in(files[k]);
          out << in.rdbuf() << "(reset)\n";
        }
      }
      auto answer = [&](const std::string &cmd, size_t from, size_t to) {
        std::istringstream lines(runCommand(cmd));
        std::string line;
        for (size_t k = from; k < to && std::getline(lines, line);) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (!line.empty()) answers[k++] = line;
        }
      };
      answer(prefix(hi - lo) + path, lo, hi);
      std::filesystem::remove(path);
      // a solver that stopped early (a crash) loses the rest of its batch: ask those alone
      for (size_t k = lo; k < hi; ++k)
        if (answers[k] == "(no answer)") answer(prefix(1) + files[k], k, k + 1);
    }
  };
  std::thread t(worker);
  worker();
  t.join();
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return answers;
}

}  // namespace vcr::verifier::test
