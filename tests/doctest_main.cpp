// The doctest main of every test executable: a run fails if it ran no test case, or if a test name breaks discovery.
//
// ctest runs each discovered test as `<binary> --test-case=<name>`. A
// doctest run that matches no test case passes, so a name that ctest
// discovery mangles (it splits at ';') would pass without running anything.
// Here such a run fails instead, and so does every run of a binary whose
// test names contain characters that discovery or doctest's filters treat
// specially (tests/guard_probe.cpp and tests/CMakeLists.txt test this).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

/// What the listener saw during a run.
struct RunWatch {
  bool running = false;  ///< a run (not --list-test-cases, --help, ...) started
  unsigned started = 0;  ///< test cases executed
  std::map<std::string, std::string> seen;  ///< lower-cased name -> name
  std::vector<std::string> problems;        ///< bad or clashing names
};

RunWatch &watch() {
  static RunWatch w;
  return w;
}

/// Why `name` cannot be a test name, or "" if it can. ';' splits it in ctest
/// discovery; '[' and ']' stop discovery splitting its output into lines;
/// '\' is doctest's filter escape; '*' and '?' are filter wildcards (the
/// filter would match other tests too); leading or trailing blanks and
/// control characters do not survive the round trip. ',' (doctest's filter
/// separator) is allowed: doctest_discover_tests escapes it as "\," and
/// doctest 2.4.9 reads that back (a harness test in tests/ checks it).
std::string badNameReason(const std::string &name) {
  if (name.empty()) return "is empty";
  for (char c : std::string(";[]\\*?"))
    if (name.find(c) != std::string::npos) return std::string("contains '") + c + "'";
  if (std::isspace(static_cast<unsigned char>(name.front())) || std::isspace(static_cast<unsigned char>(name.back())))
    return "starts or ends with a blank";
  for (char c : name)
    if (std::iscntrl(static_cast<unsigned char>(c))) return "contains a control character";
  return "";
}

/// Check one registered test name (each is seen once per run, started or skipped).
void note(const doctest::TestCaseData &tc) {
  RunWatch &w = watch();
  const std::string name = tc.m_name;
  const std::string where = std::string(tc.m_file.c_str()) + ":" + std::to_string(tc.m_line);
  if (std::string why = badNameReason(name); !why.empty())
    w.problems.push_back(where + ": test name \"" + name + "\" " + why +
                         ", which breaks ctest discovery or doctest's --test-case filter");
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (auto [it, fresh] = w.seen.emplace(lower, name); !fresh)
    w.problems.push_back(where + ": test name \"" + name + "\" is used twice (filters ignore case): \"" +
                         it->second + "\"");
}

/// A listener (it runs beside the chosen reporter) that fills watch().
class RunWatchListener : public doctest::IReporter {
 public:
  explicit RunWatchListener(const doctest::ContextOptions &) {}
  void report_query(const doctest::QueryData &) override {}
  void test_run_start() override { watch().running = true; }
  void test_run_end(const doctest::TestRunStats &) override {}
  void test_case_start(const doctest::TestCaseData &tc) override {
    ++watch().started;
    note(tc);
  }
  void test_case_reenter(const doctest::TestCaseData &) override {}
  void test_case_end(const doctest::CurrentTestCaseStats &) override {}
  void test_case_exception(const doctest::TestCaseException &) override {}
  void subcase_start(const doctest::SubcaseSignature &) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData &) override {}
  void log_message(const doctest::MessageData &) override {}
  void test_case_skipped(const doctest::TestCaseData &tc) override { note(tc); }
};

REGISTER_LISTENER("vcr-run-watch", 1, RunWatchListener);

}  // namespace

int main(int argc, char **argv) {
  doctest::Context context(argc, argv);
  int rc = context.run();
  if (!watch().running) return rc;  // --help, --list-test-cases, ...
  for (const std::string &p : watch().problems) {
    std::cerr << "VCR-DOCTEST: " << p << "\n";
    rc = 1;
  }
  if (watch().started == 0) {
    std::string args;
    for (int i = 1; i < argc; ++i) args += std::string(" ") + argv[i];
    std::cerr << "VCR-DOCTEST: no test case ran: the filters (" << (args.empty() ? " none" : args)
              << " ) matched no test case\n";
    rc = 1;
  }
  return rc;
}
