;; The check of a compact JSON object (a payload as JSON.stringify writes it), for reader
;; threads: the position after the object when CanonicalJsonBytes, reading the same bytes
;; without `loose`, would return that position too; else -1, and the JavaScript decides
;; (numbers it would print back through Number, an exponent, "-0", deep or wide objects,
;; repeated or integer-like keys, other escapes: all rare in telemetry payloads).
;;
;; Memory (shared with canonical-line.wat): page 0 is the modules' own; the caller's bytes start
;; at 65536. This module's part of page 0:
;;   [0, 64)         what each open container is, by depth: 1 object, 2 array
;;   [256, 512)      i32 per depth: the bits of the keys an object has read (a key whose bit is
;;                   not set yet repeats none; the others are compared with earlier keys)
;;   [512, 768)      i32 per depth: where the object's keys start in the key lists
;;   [768, 1024)     i32 per depth: how many keys it has read
;;                   (these three are saved here when a container opens inside the object, and
;;                   read back when it closes: locals hold the innermost one's)
;;   [1024, 17664)   i32 key starts, then [17664, 34304) i32 key lengths: the keys of the
;;                   objects open, one run per depth (64 keys at each of 64 depths, and 64 more)
(module
  ;; Made by the caller at its full size: growing it would detach its buffer, and V8 then throws
  ;; away the typed array code it optimized in that thread (test/exporter/detach-early.test.ts).
  (import "js" "memory" (memory 1))

  ;; Whether $c, after a backslash, makes an escape JSON.stringify writes: \" \\ \b \f \n \r \t
  (func $stringifyEscape (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $c) (i32.const 0x22)) (i32.eq (local.get $c) (i32.const 0x5c)))
      (i32.or
        (i32.or (i32.eq (local.get $c) (i32.const 0x62)) (i32.eq (local.get $c) (i32.const 0x66)))
        (i32.or
          (i32.or (i32.eq (local.get $c) (i32.const 0x6e)) (i32.eq (local.get $c) (i32.const 0x72)))
          (i32.eq (local.get $c) (i32.const 0x74))))))

  ;; Whether the key [$s, $s + $len) is integer-like (V8 would move it first): 1 to 10 digits,
  ;; no leading zero but "0" itself. Conservative: "4294967295" and up count too (the caller
  ;; decides them).
  (func $integerLike (param $s i32) (param $len i32) (result i32)
    (local $k i32)
    (if (i32.or (i32.eqz (local.get $len)) (i32.gt_u (local.get $len) (i32.const 10)))
      (then (return (i32.const 0))))
    (loop $digits
      (if (i32.ge_u (i32.sub (i32.load8_u (i32.add (local.get $s) (local.get $k))) (i32.const 0x30)) (i32.const 10))
        (then (return (i32.const 0))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $digits (i32.lt_u (local.get $k) (local.get $len))))
    (i32.or (i32.eq (local.get $len) (i32.const 1)) (i32.ne (i32.load8_u (local.get $s)) (i32.const 0x30))))

  ;; Whether the key [$s, $s + $len) equals one of the keys $from .. $to - 1 of the key lists.
  (func $repeats (param $s i32) (param $len i32) (param $from i32) (param $to i32) (result i32)
    (local $at i32) (local $m i32)
    (block $done
      (loop $keys
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (if (i32.eq (i32.load (i32.add (i32.const 17664) (i32.shl (local.get $from) (i32.const 2)))) (local.get $len))
          (then
            (local.set $at (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $from) (i32.const 2)))))
            (local.set $m (i32.const 0))
            (block $differ
              (loop $bytes
                (if (i32.ge_u (local.get $m) (local.get $len)) (then (return (i32.const 1))))
                (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $at) (local.get $m)))
                                       (i32.load8_u (i32.add (local.get $s) (local.get $m)))))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))
                (br $bytes)))))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $keys)))
    (i32.const 0))

  ;; The position after the object at $i ("{"), read no further than $end, or -1 (see the top).
  ;; $keyOrder: as CanonicalJsonBytes's: integer-like and repeated keys are the caller's.
  (func (export "object") (param $i i32) (param $end i32) (param $keyOrder i32) (result i32)
    (local $c i32) (local $depth i32) (local $state i32) (local $s i32)
    (local $len i32) (local $mark i32) (local $slot i32) (local $digits i32) (local $int i32)
    ;; the innermost container's: keys read, their bits, where its keys start in the key lists
    (local $count i32) (local $marks i32) (local $base i32)
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x7b)) (then (return (i32.const -1))))
    (local.set $c (i32.const 0x7b))
    (local.set $state (i32.const 3))
    (loop $main
      (block $open (block $after (block $key (block $value
        (br_table $value $after $key $open (local.get $state)))
        ;; ---- a value at $i
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $state (i32.const 1))
        ;; a string: its loop is written out again for keys below (a shared one, reached through
        ;; the state table, took 1.09 of the time)
        (if (i32.eq (local.get $c) (i32.const 0x22))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (loop $plainValue
              (local.set $c (i32.load8_u (local.get $i)))
              (if (i32.ge_u (local.get $c) (i32.const 0x20))
                (then
                  (if (i32.and (i32.ne (local.get $c) (i32.const 0x22)) (i32.ne (local.get $c) (i32.const 0x5c)))
                    (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $plainValue)))))
              (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
              (if (i32.eq (local.get $c) (i32.const 0x5c))
                (then
                  (if (call $stringifyEscape (i32.load8_u (i32.add (local.get $i) (i32.const 1))))
                    (then (local.set $i (i32.add (local.get $i) (i32.const 2))) (br $plainValue)))
                  (return (i32.const -1))))
              (if (i32.ne (local.get $c) (i32.const 0x22)) (then (return (i32.const -1)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $main)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))
          (then
            ;; a number with at most 15 significant digits, no exponent, printed back as written
            (local.set $int (i32.add (local.get $i) (i32.eq (local.get $c) (i32.const 0x2d))))
            (local.set $i (local.get $int))
            (loop $intDigits
              (if (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10))
                (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $intDigits))))
            (local.set $digits (i32.sub (local.get $i) (local.get $int)))
            (if (i32.eqz (local.get $digits)) (then (return (i32.const -1))))
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.eq (i32.load8_u (local.get $int)) (i32.const 0x30))
              (then
                ;; "0" alone, or "0." and a fraction with fewer than four leading zeros (smaller
                ;; values print with an exponent); "00…" and "-0" are the caller's
                (if (i32.gt_u (local.get $digits) (i32.const 1)) (then (return (i32.const -1))))
                (if (i32.ne (local.get $c) (i32.const 0x2e))
                  (then
                    (if (i32.eq (i32.load8_u (i32.sub (local.get $int) (i32.const 1))) (i32.const 0x2d))
                      (then (return (i32.const -1)))))
                  (else
                    (if (i32.eq (i32.load (i32.add (local.get $int) (i32.const 2))) (i32.const 0x30303030))
                      (then (return (i32.const -1))))))))
            (if (i32.eq (local.get $c) (i32.const 0x2e))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $int (local.get $i))
                (loop $fracDigits
                  (if (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10))
                    (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $fracDigits))))
                (if (i32.eq (local.get $i) (local.get $int)) (then (return (i32.const -1))))
                (if (i32.eq (i32.load8_u (i32.sub (local.get $i) (i32.const 1))) (i32.const 0x30))
                  (then (return (i32.const -1))))
                (local.set $digits (i32.add (local.get $digits) (i32.sub (local.get $i) (local.get $int))))))
            (if (i32.gt_u (local.get $digits) (i32.const 15)) (then (return (i32.const -1))))
            ;; "e" or "E"
            (if (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 0x20)) (i32.const 0x65))
              (then (return (i32.const -1))))
            (br $main)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
          (then (local.set $state (i32.const 3)) (br $main)))
        ;; true, null, false (read as little-endian words)
        (local.set $s (i32.load (local.get $i)))
        (if (i32.or (i32.eq (local.get $s) (i32.const 0x65757274)) (i32.eq (local.get $s) (i32.const 0x6c6c756e)))
          (then (local.set $i (i32.add (local.get $i) (i32.const 4))) (br $main)))
        (if (i32.and (i32.eq (local.get $s) (i32.const 0x736c6166))
                     (i32.eq (i32.load8_u (i32.add (local.get $i) (i32.const 4))) (i32.const 0x65)))
          (then (local.set $i (i32.add (local.get $i) (i32.const 5))) (br $main)))
        (return (i32.const -1)))
        ;; ---- an object's key at $i, then ":"
        (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)) (then (return (i32.const -1))))
        (local.set $s (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (local.get $s))
        (loop $plainKey
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.ge_u (local.get $c) (i32.const 0x20))
            (then
              (if (i32.and (i32.ne (local.get $c) (i32.const 0x22)) (i32.ne (local.get $c) (i32.const 0x5c)))
                (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $plainKey)))))
          (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
          (if (i32.eq (local.get $c) (i32.const 0x5c))
            (then
              (if (call $stringifyEscape (i32.load8_u (i32.add (local.get $i) (i32.const 1))))
                (then (local.set $i (i32.add (local.get $i) (i32.const 2))) (br $plainKey)))
              (return (i32.const -1))))
          (if (i32.ne (local.get $c) (i32.const 0x22)) (then (return (i32.const -1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        ;; ---- after a key's closing quote (its first byte at $s): its checks, then ":"
        (if (i32.ge_u (local.get $count) (i32.const 64)) (then (return (i32.const -1))))
        (if (local.get $keyOrder)
          (then
            (local.set $len (i32.sub (i32.sub (local.get $i) (i32.const 1)) (local.get $s)))
            (if (i32.lt_u (i32.sub (i32.load8_u (local.get $s)) (i32.const 0x30)) (i32.const 10))
              (then (if (call $integerLike (local.get $s) (local.get $len)) (then (return (i32.const -1))))))
            ;; from the key's length, second byte and last byte: keys such as k0_1, k1_2 differ
            ;; there (with the first byte, a third of the bench's payloads compared keys)
            (local.set $mark (i32.shl (i32.const 1)
              (i32.add (i32.add (local.get $len) (i32.mul (i32.load8_u (i32.add (local.get $s) (i32.const 1))) (i32.const 5)))
                       (i32.mul (i32.load8_u (i32.sub (local.get $i) (i32.const 2))) (i32.const 3)))))
            (if (i32.and (local.get $marks) (local.get $mark))
              (then
                (if (call $repeats (local.get $s) (local.get $len) (local.get $base)
                                   (i32.add (local.get $base) (local.get $count)))
                  (then (return (i32.const -1))))))
            (local.set $marks (i32.or (local.get $marks) (local.get $mark)))
            (local.set $slot (i32.shl (i32.add (local.get $base) (local.get $count)) (i32.const 2)))
            (i32.store (i32.add (i32.const 1024) (local.get $slot)) (local.get $s))
            (i32.store (i32.add (i32.const 17664) (local.get $slot)) (local.get $len))))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $state (i32.const 0)) (br $main))
        ;; ---- after a value: "," or the end of its container
        (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $s (i32.eq (i32.load8_u (local.get $depth)) (i32.const 1)))
        (if (i32.eq (local.get $c) (i32.const 0x2c))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $state (select (i32.const 2) (i32.const 0) (local.get $s)))
            (br $main)))
        (if (i32.ne (local.get $c) (select (i32.const 0x7d) (i32.const 0x5d) (local.get $s)))
          (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (if (i32.eqz (local.get $depth)) (then (return (local.get $i))))
        ;; back in the parent: its count, bits and keys' start
        (local.set $slot (i32.shl (local.get $depth) (i32.const 2)))
        (local.set $count (i32.load (i32.add (i32.const 768) (local.get $slot))))
        (local.set $marks (i32.load (i32.add (i32.const 256) (local.get $slot))))
        (local.set $base (i32.load (i32.add (i32.const 512) (local.get $slot))))
        (br $main))
      ;; ---- "{" or "[" at $i (in $c): one level deeper; its keys follow its parent's
      (if (i32.ge_u (local.get $depth) (i32.const 63)) (then (return (i32.const -1))))
      (local.set $slot (i32.shl (local.get $depth) (i32.const 2)))
      (i32.store (i32.add (i32.const 768) (local.get $slot)) (local.get $count))
      (i32.store (i32.add (i32.const 256) (local.get $slot)) (local.get $marks))
      (i32.store (i32.add (i32.const 512) (local.get $slot)) (local.get $base))
      (local.set $base (i32.add (local.get $base) (local.get $count)))
      (local.set $count (i32.const 0))
      (local.set $marks (i32.const 0))
      (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
      (local.set $s (i32.eq (local.get $c) (i32.const 0x7b)))
      (i32.store8 (local.get $depth) (select (i32.const 1) (i32.const 2) (local.get $s)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      ;; empty: "{}" or "[]"
      (if (i32.eq (i32.load8_u (local.get $i)) (select (i32.const 0x7d) (i32.const 0x5d) (local.get $s)))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
          (if (i32.eqz (local.get $depth)) (then (return (local.get $i))))
          (local.set $slot (i32.shl (local.get $depth) (i32.const 2)))
          (local.set $count (i32.load (i32.add (i32.const 768) (local.get $slot))))
          (local.set $marks (i32.load (i32.add (i32.const 256) (local.get $slot))))
          (local.set $base (i32.load (i32.add (i32.const 512) (local.get $slot))))
          (local.set $state (i32.const 1)) (br $main)))
      (local.set $state (select (i32.const 2) (i32.const 0) (local.get $s)))
      (br $main))
    (i32.const -1))
)
