// ladder-dump: print each function's vreg MIR, the ladder's rung and the legacy model's allocated MIR.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/text.h"
#include "ladder/ladder.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv) {
  using namespace vcr;
  select::SelectOptions so;  // --cpu NAME and --pool SPEC first (default cortex-m4, r0-r8)
  std::string pool;
  while (argc >= 3 && (std::string(argv[1]) == "--cpu" || std::string(argv[1]) == "--pool")) {
    if (std::string(argv[1]) == "--pool") {
      pool = argv[2];
      try {
        (void)arm::Pool::parse(pool);
      } catch (const std::exception &e) {
        std::fprintf(stderr, "ladder-dump: --pool %s: %s\n", argv[2], e.what());
        return 2;
      }
    } else if (auto c = arm::parseCpu(argv[2])) {
      so.cpu = *c;
    } else {
      std::fprintf(stderr, "ladder-dump: unknown cpu '%s' (%s)\n", argv[2], arm::cpuNames().c_str());
      return 2;
    }
    argv += 2;
    argc -= 2;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: ladder-dump [--cpu NAME] [--pool SPEC] FILE.wat|FILE.wasm [function]\n");
    return 2;
  }
  Diagnostics diags;
  auto bin = select::loadWasmFile(argv[1], diags);
  auto sel = bin ? select::selectModule(*bin, diags, so) : std::nullopt;
  if (!sel) {
    for (const auto &d : diags) std::fprintf(stderr, "%s\n", d.str().c_str());
    return 1;
  }
  auto facts = ladder::wasmFacts(*bin);
  for (const auto &f : sel->module.functions) {
    if (argc > 2 && f.name != argv[2]) continue;
    ladder::LegacyEnv env;
    env.wasm = facts ? facts->find(f.wasmIndex) : nullptr;
    env.fpu = !arm::softFloat(so.cpu);
    env.f64 = arm::hasF64(so.cpu);
    if (!pool.empty()) env.temps = arm::Pool::parse(pool).regs.list();
    ladder::LadderResult r = ladder::runLadder(f, sel->module, env);
    std::printf("=== %s: rung %s (promoted %u, depth bound %u)\n", f.name.c_str(), r.rung.c_str(),
                r.promotedLocals, r.depthBound);
    for (const auto &a : r.attempts)
      std::printf(";   %s%s: %s\n", a.rung.c_str(), a.promotionOff ? " [promotion-off]" : "",
                  a.message.empty() ? "ok" : a.message.c_str());
    std::printf("%s", mir::printFunction(f).c_str());
    if (r.result.ok) std::printf("%s", mir::printFunction(r.result.function).c_str());
  }
  return 0;
}
