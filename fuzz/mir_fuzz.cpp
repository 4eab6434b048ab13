// libFuzzer target: .mir text -> parseModule (which validates). Properties:
// never crash; a rejected text has an error diagnostic; an accepted module
// round-trips: print(parse(print(m))) == print(m).
#include "core/ir/text.h"
#include "core/ir/validate.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > vcr::fuzz::kMaxInputBytes) return -1;
  auto parsed = vcr::mir::parseModule(vcr::fuzz::asText(data, size), "fuzz.mir");
  if (!parsed.module) {
    if (!vcr::hasErrors(parsed.diags)) vcr::fuzz::fail("rejected text without an error diagnostic");
    return 0;
  }
  std::string once = vcr::mir::printModule(*parsed.module);
  auto again = vcr::mir::parseModule(once, "printed.mir");
  if (!again.module) {
    std::string why = again.diags.empty() ? std::string() : again.diags.front().str();
    vcr::fuzz::fail("the printed module does not parse", why + "\n" + once);
  }
  std::string twice = vcr::mir::printModule(*again.module);
  if (twice != once) vcr::fuzz::fail("print/parse does not round-trip", once + "\n----\n" + twice);
  return 0;
}
