// Liveness and peak-pressure unit tests on hand-built vreg-form functions.
#include "core/alloc/liveness.h"
#include "core/alloc/tests/test_util.h"

#include <doctest/doctest.h>

using namespace vcr;
using namespace vcr::alloc;
using namespace vcr::alloc::test;
using mir::Opcode;

namespace {

mir::Function fn(std::vector<mir::ValType> params, std::vector<std::vector<mir::Instr>> blocks) {
  mir::Function f;
  f.name = "t";
  f.sig.params = std::move(params);
  f.sig.results = {mir::ValType::I32};
  for (size_t b = 0; b < blocks.size(); ++b) f.blocks.push_back({"bb" + std::to_string(b), std::move(blocks[b])});
  return f;
}

std::vector<uint32_t> members(const Bits &b) {
  std::vector<uint32_t> out;
  for (size_t i = b.find_first(); i != Bits::npos; i = b.find_next(i)) out.push_back(static_cast<uint32_t>(i));
  return out;
}

using V = std::vector<uint32_t>;

}  // namespace

TEST_CASE("liveness: diamond") {
  auto f = fn({mir::ValType::I32},
              {{ins(Opcode::Param, {v(0)}, {}), ins(Opcode::MovI, {v(1)}, {}), ins(Opcode::BrIf, {}, {v(0)}, {1, 2})},
               {ins(Opcode::Add, {v(2)}, {v(1), imm(1)}), ins(Opcode::Br, {}, {}, {3})},
               {ins(Opcode::MovI, {v(2)}, {}), ins(Opcode::Br, {}, {}, {3})},
               {ins(Opcode::Add, {v(3)}, {v(2), v(0)}), ins(Opcode::Ret, {}, {v(3)})}});
  auto cfg = mir::Cfg::build(f);
  auto lv = Liveness::compute(f, cfg);
  CHECK(members(lv.liveIn[0]) == V{});
  CHECK(members(lv.liveOut[0]) == V{0, 1});
  CHECK(members(lv.liveIn[1]) == V{0, 1});
  CHECK(members(lv.liveIn[2]) == V{0});  // v1 is dead on the else path
  CHECK(members(lv.liveOut[1]) == V{0, 2});
  CHECK(members(lv.liveOut[2]) == V{0, 2});
  CHECK(members(lv.liveIn[3]) == V{0, 2});
  CHECK(members(lv.liveOut[3]) == V{});
  CHECK(lv.liveIn[1][1]);  // the vector<bool>-like indexing works
  CHECK_FALSE(lv.liveIn[2][1]);
}

TEST_CASE("liveness: a loop back-edge keeps values live") {
  // v5 is defined before the loop and used only after it; v1 and v0 are
  // loop-carried.
  auto f = fn({mir::ValType::I32},
              {{ins(Opcode::Param, {v(0)}, {}), ins(Opcode::MovI, {v(1)}, {}), ins(Opcode::MovI, {v(5)}, {}),
                ins(Opcode::Br, {}, {}, {1})},
               {ins(Opcode::Add, {v(1)}, {v(1), v(0)}), ins(Opcode::Sub, {v(0)}, {v(0), imm(1)}),
                ins(Opcode::BrIf, {}, {v(0)}, {1, 2})},
               {ins(Opcode::Add, {v(2)}, {v(1), v(5)}), ins(Opcode::Ret, {}, {v(2)})}});
  auto cfg = mir::Cfg::build(f);
  auto lv = Liveness::compute(f, cfg);
  CHECK(members(lv.liveIn[1]) == V{0, 1, 5});
  CHECK(members(lv.liveOut[1]) == V{0, 1, 5});
  CHECK(members(lv.liveIn[2]) == V{1, 5});
  CHECK(members(lv.liveOut[0]) == V{0, 1, 5});
}

TEST_CASE("peak pressure: straight line, dead defs and i64 pairs") {
  SUBCASE("k constants summed at the end") {
    std::vector<mir::Instr> b;
    for (uint32_t i = 0; i < 7; ++i) b.push_back(ins(Opcode::MovI, {v(i)}, {}));
    uint32_t acc = 0;
    for (uint32_t i = 1; i < 7; ++i) {
      b.push_back(ins(Opcode::Add, {v(10 + i)}, {v(acc), v(i)}));
      acc = 10 + i;
    }
    b.push_back(ins(Opcode::Ret, {}, {v(acc)}));
    auto f = fn({}, {b});
    CHECK(peakPressure(f) == 7);
  }
  SUBCASE("a def that is never used counts at its def point") {
    auto f = fn({mir::ValType::I32},
                {{ins(Opcode::Param, {v(0)}, {}), ins(Opcode::MovI, {v(1)}, {}), ins(Opcode::Ret, {}, {v(0)})}});
    CHECK(peakPressure(f) == 2);
  }
  SUBCASE("an i64 counts as two vregs") {
    auto f = fn({mir::ValType::I32, mir::ValType::I32},
                {{ins(Opcode::Param, {v(0), v(1)}, {}), ins(Opcode::UMull, {v(2), v(3)}, {v(0), v(1)}),
                  ins(Opcode::Add, {v(4)}, {v(2), v(3)}), ins(Opcode::Add, {v(5)}, {v(4), v(0)}),
                  ins(Opcode::Ret, {}, {v(5)})}});
    CHECK(peakPressure(f) == 3);  // v0 plus the pair v2:v3
  }
  SUBCASE("add(a, b)") {
    auto f = fn({mir::ValType::I32, mir::ValType::I32},
                {{ins(Opcode::Param, {v(0), v(1)}, {}), ins(Opcode::Add, {v(2)}, {v(0), v(1)}),
                  ins(Opcode::Ret, {}, {v(2)})}});
    CHECK(peakPressure(f) == 2);
  }
  SUBCASE("pressure across a loop") {
    auto f = fn({mir::ValType::I32},
                {{ins(Opcode::Param, {v(0)}, {}), ins(Opcode::MovI, {v(1)}, {}), ins(Opcode::MovI, {v(5)}, {}),
                  ins(Opcode::MovI, {v(6)}, {}), ins(Opcode::Br, {}, {}, {1})},
                 {ins(Opcode::Add, {v(1)}, {v(1), v(0)}), ins(Opcode::Sub, {v(0)}, {v(0), imm(1)}),
                  ins(Opcode::BrIf, {}, {v(0)}, {1, 2})},
                 {ins(Opcode::Add, {v(2)}, {v(1), v(5)}), ins(Opcode::Add, {v(3)}, {v(2), v(6)}),
                  ins(Opcode::Ret, {}, {v(3)})}});
    CHECK(peakPressure(f) == 4);  // v0, v1, v5, v6 around the loop
  }
}
