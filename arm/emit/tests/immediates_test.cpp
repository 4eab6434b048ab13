// isModifiedImmediate against known Thumb-2 modified immediates and non-immediates.
#include "arm/emit/emit.h"

#include <doctest/doctest.h>

#include <bit>
#include <cstdint>

using vcr::emit::isModifiedImmediate;

TEST_CASE("modified immediates: the four replicated forms") {
  CHECK(isModifiedImmediate(0x00000000));
  CHECK(isModifiedImmediate(0x000000ab));
  CHECK(isModifiedImmediate(0x000000ff));
  CHECK(isModifiedImmediate(0x00ab00ab));
  CHECK(isModifiedImmediate(0xab00ab00));
  CHECK(isModifiedImmediate(0xabababab));
  CHECK(isModifiedImmediate(0xffffffff));
  CHECK(isModifiedImmediate(0x55555555));
  CHECK(isModifiedImmediate(0x0f0f0f0f));
  CHECK(isModifiedImmediate(0x00010001));
  CHECK(isModifiedImmediate(0x01000100));
}

TEST_CASE("modified immediates: rotated 8-bit constants") {
  CHECK(isModifiedImmediate(0x3fc00));       // 0xff << 10
  CHECK(isModifiedImmediate(0x100));         // 0x80 ror 31
  CHECK(isModifiedImmediate(0x1fe));         // 0xff << 1
  CHECK(isModifiedImmediate(0xff000000));
  CHECK(isModifiedImmediate(0x80000000));
  CHECK(isModifiedImmediate(0x00ff0000));
  CHECK(isModifiedImmediate(0xfa0));         // 4000
  CHECK(isModifiedImmediate(0x10000));
  CHECK(isModifiedImmediate(0x0000ff00));
  // every 8-bit value with its top bit set, at every rotation 8..31
  for (uint32_t v = 0x80; v <= 0xff; ++v)
    for (int rot = 8; rot < 32; ++rot) CHECK(isModifiedImmediate(std::rotr(v, rot)));
}

TEST_CASE("modified immediates: rejects") {
  CHECK_FALSE(isModifiedImmediate(0x101));
  CHECK_FALSE(isModifiedImmediate(0x12345678));
  CHECK_FALSE(isModifiedImmediate(0x1ff));        // 9 significant bits
  CHECK_FALSE(isModifiedImmediate(0xfff));
  CHECK_FALSE(isModifiedImmediate(0x00ab00ac));
  CHECK_FALSE(isModifiedImmediate(0xab00ac00));
  CHECK_FALSE(isModifiedImmediate(0xabababaa));
  CHECK_FALSE(isModifiedImmediate(0x80000001));   // wraps around: not a rotation of 8 bits
  CHECK_FALSE(isModifiedImmediate(0xc0000001));
  CHECK_FALSE(isModifiedImmediate(0x0000ffff));
  CHECK_FALSE(isModifiedImmediate(0xfffffffe));
  CHECK_FALSE(isModifiedImmediate(65520));
}

TEST_CASE("modified immediates: agree with a brute-force enumeration on sampled values") {
  // Build the whole set of encodable values (ThumbExpandImm of every 12-bit field).
  auto expand = [](uint32_t imm12) -> uint32_t {
    const uint32_t v = imm12 & 0xff;
    if ((imm12 >> 10) == 0) {
      switch ((imm12 >> 8) & 3) {
      case 0: return v;
      case 1: return v | (v << 16);
      case 2: return (v << 8) | (v << 24);
      default: return v * 0x01010101u;
      }
    }
    return std::rotr(0x80u | (imm12 & 0x7f), static_cast<int>(imm12 >> 7));
  };
  for (uint32_t imm12 = 0; imm12 < 4096; ++imm12) CHECK(isModifiedImmediate(expand(imm12)));
  // pseudo-random values: accepted iff some imm12 expands to them
  uint64_t s = 12345;
  unsigned accepted = 0;
  for (int k = 0; k < 3000; ++k) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t x = static_cast<uint32_t>(s >> 32);
    if (k % 3 == 0) x &= 0x3ff << (k % 22);  // sparse values are often encodable
    bool want = false;
    for (uint32_t imm12 = 0; imm12 < 4096 && !want; ++imm12) want = expand(imm12) == x;
    CHECK_MESSAGE(isModifiedImmediate(x) == want, "value " << x);
    accepted += want;
  }
  CHECK(accepted > 0);
}
