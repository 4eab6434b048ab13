// Thumb-2 immediates: the modified-immediate test and constant materialisation.
#include "arm/emit/emitter.h"

#include <bit>

namespace vcr::emit {

bool isModifiedImmediate(uint32_t v) {
  if (v <= 0xffu) return true;
  const uint32_t b = v & 0xffu;
  if (v == (b | (b << 16))) return true;              // 0x00XY00XY
  const uint32_t h = (v >> 8) & 0xffu;
  if (v == ((h << 8) | (h << 24))) return true;       // 0xXY00XY00
  if (v == b * 0x01010101u) return true;              // 0xXYXYXYXY
  // 1bcdefgh rotated right by 8..31: rotating left by the same amount gives
  // back an 8-bit value with its top bit set.
  for (int rot = 8; rot <= 31; ++rot) {
    const uint32_t u = std::rotl(v, rot);
    if (u >= 0x80u && u <= 0xffu) return true;
  }
  return false;
}

namespace detail {

void FnEmitter::materialize(std::string_view rd, uint32_t v) {
  if (isModifiedImmediate(v)) {
    line("mov {}, #{}", rd, v);
  } else if (isModifiedImmediate(~v)) {
    line("mvn {}, #{}", rd, ~v);
  } else {
    line("movw {}, #{}", rd, v & 0xffffu);
    if (v >> 16) line("movt {}, #{}", rd, v >> 16);
  }
}

}  // namespace detail
}  // namespace vcr::emit
