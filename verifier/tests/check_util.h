#pragma once
/// Test helpers: load .mir data files of verifier/tests/data and check
/// function pairs.

#include "core/ir/text.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace vcr::verifier::test {

/// Parse verifier/tests/data/<name>; fails the test on errors.
inline mir::Module loadData(const std::string &name) {
  const std::string path = std::string(VCR_SOURCE_DIR) + "/verifier/tests/data/" + name;
  std::ifstream f(path);
  REQUIRE_MESSAGE(f.good(), "cannot open " << path);
  std::stringstream ss;
  ss << f.rdbuf();
  mir::ParseResult r = mir::parseModule(ss.str(), path);
  std::string diags;
  for (const auto &d : r.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), diags);
  return std::move(*r.module);
}

/// The function named `fn` of `m`; fails the test if missing.
inline mir::Function &fnOf(mir::Module &m, const std::string &fn) {
  for (auto &f : m.functions)
    if (f.name == fn) return f;
  FAIL("no function @" << fn);
  throw 0;
}

/// One-line summaries of the obligations that are not proved.
inline std::string failures(const CheckResult &r) {
  std::string s;
  for (const auto &o : r.obligations)
    if (o.status != Status::Proved) s += o.id + " [" + statusName(o.status) + "] " + o.detail + "\n";
  return s;
}

}  // namespace vcr::verifier::test
