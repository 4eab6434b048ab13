;; control_loop.wat: a PID-style control loop whose peak value pressure is 8.
;;
;; Stresses: the spurious spill of the legacy allocator. Measured over values,
;; the peak number of simultaneously live values is exactly 8, which fits the
;; 9-register pool. The legacy allocator reserves every parameter's home
;; register (R0-R3) from entry until the parameter's last read, extended to the
;; end of the enclosing loop, and keeps every operand-stack entry in its own
;; register. Here all four params are read inside the loop, so R0-R3 stay
;; reserved for the whole loop, although $meas and $out are scratch params
;; that are always written before they are read (their incoming values are
;; dead and they are dead around the back edge). At the deepest point (P below)
;; the operand stack holds six non-param entries: 4 + 6 = 10 registers > 9, so
;; the legacy allocator needs the spill rung. An allocator over values sees
;; only 8 live values there and must not spill.
;;
;; control_loop(sensors, steps, meas, out) -> final integral
;;   sensors: byte address of the sensor frames (masked to 0..0x3ffc, 12 bytes
;;            per step: [+0] measurement, [+4] feed-forward, [+8] disturbance);
;;            the clamped output of each step is stored at [sensors+0x8000]
;;   steps:   number of control steps (masked to 0..63: always terminates)
;;   meas, out: scratch params (clang-style reuse of param locals)
;; Globals: $setpoint (read each step), $bias (read each step).
;;
;; The 8 live values at P (just after `global.get $bias`), with the operand
;; stack bottom to top:
;;   1. $sensors  param, live around the back edge (not on the stack)
;;   2. $steps    param, the loop counter, live around the back edge
;;   3. I   = new $integral (local.tee), stack entry 1, live around back edge
;;   4. D   = err - prev (derivative term), stack entry 2
;;   5. E   = err, also the new $prev (local.tee), stack entry 3, live around
;;            the back edge ($err itself is dead: E is its last read)
;;   6. F   = feed-forward load [sensors+4], stack entry 4
;;   7. W   = disturbance load [sensors+8], stack entry 5
;;   8. B   = global $bias, stack entry 6
;; Dead at P: $meas (written before read, last read above), $out (written
;; after P), old $prev (its last read made D), old $integral (read to make I),
;; $err (last read made E).
;; Legacy registers at P: R0-R3 (four reserved params) + 6 stack entries = 10.
;; Nothing else in the function exceeds 8 live values (constants that stay
;; immediates are not counted; if the selector materialises them the count
;; elsewhere still stays <= 8).
(module
  (memory (export "memory") 1)
  (global $setpoint (export "setpoint") (mut i32) (i32.const 1000))
  (global $bias (export "bias") (mut i32) (i32.const 3))

  (func $control_loop (export "control_loop")
        (param $sensors i32) (param $steps i32) (param $meas i32) (param $out i32)
        (result i32)
    (local $integral i32) (local $prev i32) (local $err i32)
    ;; keep the frames inside the first 32 KiB: 64 steps * 12 bytes fit below 0x8000
    (local.set $sensors (i32.and (local.get $sensors) (i32.const 0x3ffc)))
    (local.set $steps (i32.and (local.get $steps) (i32.const 63)))
    (block $done
      (br_if $done (i32.eqz (local.get $steps)))
      (loop $step
        ;; measurement into the scratch param; $meas dies at its read below
        (local.set $meas (i32.load offset=0 (local.get $sensors)))
        (local.set $err (i32.sub (global.get $setpoint) (local.get $meas)))
        ;; the deep expression, written flat so the stack is visible
        local.get $integral
        local.get $err
        i32.add
        local.tee $integral        ;; stack: I
        local.get $err
        local.get $prev
        i32.sub                    ;; stack: I D
        local.get $err
        local.tee $prev            ;; stack: I D E
        (i32.load offset=4 (local.get $sensors))   ;; stack: I D E F
        (i32.load offset=8 (local.get $sensors))   ;; stack: I D E F W
        global.get $bias           ;; stack: I D E F W B   <- P: 8 live values
        i32.add                    ;; I D E F (W+B)
        i32.sub                    ;; I D E (F-W-B)
        i32.add                    ;; I D P         (P = E + feed-forward)
        i32.const 2
        i32.shl                    ;; I D 4P        (kp = 4)
        i32.add                    ;; I (D + 4P)    (kd = 1)
        local.get $integral
        i32.const 3
        i32.shr_s                  ;; I X (I >> 3)  (ki = 1/8)
        i32.add                    ;; I u
        i32.xor                    ;; u ^ I (a little mixing of the state)
        local.set $out
        ;; clamp the output to +-4096 and store it to the output area
        (if (i32.gt_s (local.get $out) (i32.const 4096))
          (then (local.set $out (i32.const 4096))))
        (if (i32.lt_s (local.get $out) (i32.const -4096))
          (then (local.set $out (i32.const -4096))))
        (i32.store offset=0x8000 (local.get $sensors) (local.get $out))
        ;; next frame
        (local.set $sensors (i32.add (local.get $sensors) (i32.const 12)))
        (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
        (br_if $step (local.get $steps))))
    (local.get $integral))
)
