// Tests of SmallList (core/ir/small_list.h), the operand and target lists of
// an instruction: inline storage, growth to the heap, copies and moves of
// both forms, and a differential run against std::vector.
#include "core/ir/mir.h"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace vcr::mir;

namespace {

using List = SmallList<uint32_t, 2>;

std::vector<uint32_t> asVector(const List &l) { return {l.begin(), l.end()}; }

}  // namespace

TEST_CASE("SmallList keeps its elements when it grows past its inline capacity") {
  List l;
  CHECK(l.empty());
  CHECK(l.capacity() == 2);
  for (uint32_t i = 0; i < 40; ++i) {
    l.push_back(i * 3);
    REQUIRE(l.size() == i + 1);
    for (uint32_t j = 0; j <= i; ++j) REQUIRE(l[j] == j * 3);
  }
  CHECK(l.capacity() >= 40);
  CHECK(l.front() == 0);
  CHECK(l.back() == 39 * 3);
  l.pop_back();
  CHECK(l.size() == 39);
  CHECK_THROWS_AS((void)l.at(39), std::out_of_range);
}

TEST_CASE("SmallList push_back of one of its own elements at the growth point") {
  List l{7, 8};
  l.push_back(l[0]);  // the reference points into the inline storage that growth leaves
  CHECK(asVector(l) == std::vector<uint32_t>{7, 8, 7});
}

TEST_CASE("SmallList copies and moves, inline and on the heap") {
  for (uint32_t n : {0u, 1u, 2u, 3u, 17u}) {
    CAPTURE(n);
    List a;
    for (uint32_t i = 0; i < n; ++i) a.push_back(100 + i);
    List b = a;  // copy
    CHECK(b == a);
    b.push_back(1);
    CHECK(a.size() == n);  // the copy does not share storage
    List c = std::move(b);
    CHECK(c.size() == n + 1);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move): a moved-from list is empty and usable
    b.push_back(5);
    CHECK(asVector(b) == std::vector<uint32_t>{5});
    List d{1, 2, 3, 4};
    d = a;  // copy-assign over a heap list
    CHECK(d == a);
    List e{9};
    e = std::move(c);  // move-assign over an inline list
    CHECK(e.size() == n + 1);
    CHECK(e.back() == 1);
  }
}

TEST_CASE("SmallList behaves like std::vector under random operations") {
  std::mt19937 rng(42);
  List l;
  std::vector<uint32_t> v;
  for (int step = 0; step < 5000; ++step) {
    uint32_t x = rng() % 1000;
    switch (rng() % 9) {
    case 0: case 1: case 2: l.push_back(x); v.push_back(x); break;
    case 3: if (!v.empty()) { l.pop_back(); v.pop_back(); } break;
    case 4: { size_t at = v.empty() ? 0 : rng() % (v.size() + 1);
              l.insert(l.begin() + at, x); v.insert(v.begin() + static_cast<long>(at), x); break; }
    case 5: if (!v.empty()) { size_t at = rng() % v.size();
              l.erase(l.begin() + at); v.erase(v.begin() + static_cast<long>(at)); } break;
    case 6: { size_t n = rng() % 6; l.resize(n, x); v.resize(n, x); break; }
    case 7: { List copy = l; l = std::move(copy); break; }
    default: if (rng() % 50 == 0) { l.clear(); v.clear(); } break;
    }
    REQUIRE(asVector(l) == v);
  }
}

TEST_CASE("an instruction's lists are inline and the instruction is compact") {
  static_assert(sizeof(OperandList) == 40);
  static_assert(sizeof(TargetList) == 16);
  static_assert(sizeof(Instr) == 120);
  Instr i = makeInstr(Opcode::Add64, {Operand::vreg(1), Operand::vreg(2)},
                      {Operand::vreg(3), Operand::vreg(4), Operand::vreg(5), Operand::vreg(6)}, Origin::Original);
  Instr j = i;
  CHECK(j.uses == i.uses);
  j.uses.push_back(Operand::imm(1));  // a fifth use goes to the heap
  CHECK(j.uses.size() == 5);
  CHECK(i.uses.size() == 4);
  Instr k = std::move(j);
  CHECK(k.uses[4] == Operand::imm(1));
}

TEST_CASE("Symbol: interned names compare by pointer and read like strings") {
  Symbol a = std::string("env.log"), b = "env.log", c = std::string_view("env.mix"), none;
  CHECK(a == b);
  CHECK_FALSE(a == c);
  CHECK(&a.str() == &b.str());  // one copy of the name
  CHECK(a == "env.log");
  CHECK(none.empty());
  CHECK(none.str().empty());
  CHECK(none == Symbol(""));
  CHECK("@" + a + " and " + c == "@env.log and env.mix");
  std::string_view view = c;
  CHECK(view == "env.mix");
  Instr call;
  call.op = Opcode::Call;
  call.callee = a;
  Instr moved = std::move(call);
  CHECK(moved.callee == "env.log");
}
