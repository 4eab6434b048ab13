// A probe for the harness tests of tests/CMakeLists.txt: the doctest main, the tool guard and the size floor.
#include "tests/size_env.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

TEST_CASE("probe: a test case that passes") { CHECK(1 + 1 == 2); }

TEST_CASE("probe: a name with a comma, which discovery escapes") { CHECK(true); }

TEST_CASE("probe: a missing tool is reported as a skip, or fails under CI") {
  if (!vcr::testing::toolAvailable("vcr-no-such-tool")) return;
  FAIL("a tool that does not exist was found");
}

TEST_CASE("probe: a size variable below its floor fails") {
  const unsigned n = vcr::testing::envCount("VCR_PROBE_COUNT", 10, 5);
  CHECK(n >= 5);
}

#ifdef VCR_PROBE_BAD_NAME
TEST_CASE("probe: a name with a semicolon; which ctest discovery splits") { CHECK(true); }
TEST_CASE("probe: a name with a [bracket, which stops discovery splitting lines") { CHECK(true); }
#endif
