// Shared helpers of the arm/exec tests.
#include "arm/exec/tests/exec_test_util.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

namespace vcr::exec::test {

std::string asmHeader() { return ".syntax unified\n.thumb\n.text\n"; }

std::string thumbFunction(std::string_view name, std::string_view body) {
  return fmt::format(".global {0}\n.type {0}, %function\n.balign 2\n{0}:\n{1}\n.size {0}, .-{0}\n", name,
                     body);
}

Image mustBuild(std::string_view text, const BuildOptions &opts) {
  BuildResult r = buildImage(text, opts);
  INFO("assembly:\n" << text);
  REQUIRE_MESSAGE(r.ok, r.error);
  return r.image;
}

mir::Signature sigOf(std::string_view spec) {
  mir::Signature s;
  bool results = false;
  for (char c : spec) {
    if (c == ':') {
      results = true;
      continue;
    }
    const mir::ValType t = c == 'l'   ? mir::ValType::I64
                           : c == 'f' ? mir::ValType::F32
                           : c == 'd' ? mir::ValType::F64
                                      : mir::ValType::I32;
    (results ? s.results : s.params).push_back(t);
  }
  return s;
}

}  // namespace vcr::exec::test
