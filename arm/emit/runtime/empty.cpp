// The float runtime when clang-14 is missing at build time: empty (float calls to our routines decline).
#include "arm/emit/emitter.h"
namespace vcr::emit::detail {
std::string_view floatRuntimeText() { return {}; }
}  // namespace vcr::emit::detail
