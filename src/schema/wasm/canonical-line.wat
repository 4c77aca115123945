;; The check of a canonical line (what the Tracker writes: JSON.stringify of the event), for
;; reader threads: what CanonicalScanner.scan (src/schema/canonical-scanner.ts) reads of a line
;; but its head's lookup, written into the results area; -1 when it is not sure the line is
;; canonical, and the JavaScript decides. The payload is checked by canonical-object.wat.
;;
;; Memory (shared with canonical-object.wat; see there): this module's part of page 0:
;;   [34304, 34336)  the results, i32 each: the channel's end, the event name's end, the
;;                   FNV-1a hash of both, the day (YYYYMMDD), the second of the day, the
;;                   fraction's digits as a number, how many (3, 6 or 9), the payload's start
;;   [34400, 34528)  the literals a line is made of, and the days of the months
(module
  ;; Made by the caller at its full size: growing it would detach its buffer, and V8 then throws
  ;; away the typed array code it optimized in that thread (test/exporter/detach-early.test.ts).
  (import "js" "memory" (memory 1))
  (import "js" "object" (func $object (param i32 i32 i32) (result i32)))
  (data (i32.const 34400) "{\"schema_version\":\"telemetry_event_v1\",\"channel\":\"")
  (data (i32.const 34464) "\",\"event\":\"")
  (data (i32.const 34480) "\",\"timestamp\":\"")
  (data (i32.const 34496) "\",\"payload\":{")
  (data (i32.const 34512) "\1f\1c\1f\1e\1f\1e\1f\1f\1e\1f\1e\1f")

  ;; Whether the $n bytes at $a are those at $b.
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $bytes
      (loop $words
        (br_if $bytes (i32.lt_u (local.get $n) (i32.const 8)))
        (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 8)))
        (br $words)))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $each)))
    (i32.const 1))

  ;; The two-digit number at $at, or -1 when either byte is not a digit.
  (func $pair (param $at i32) (result i32)
    (local $hi i32) (local $lo i32)
    (local.set $hi (i32.sub (i32.load8_u (local.get $at)) (i32.const 0x30)))
    (local.set $lo (i32.sub (i32.load8_u (i32.add (local.get $at) (i32.const 1))) (i32.const 0x30)))
    (if (i32.or (i32.gt_u (local.get $hi) (i32.const 9)) (i32.gt_u (local.get $lo) (i32.const 9)))
      (then (return (i32.const -1))))
    (i32.add (i32.mul (local.get $hi) (i32.const 10)) (local.get $lo)))

  ;; The line [$start, $end) (without its "\n"), read as CanonicalScanner.scan reads it: the
  ;; position after its payload (at $end - 1) with the results written (see the top), or -1.
  (func (export "line") (param $start i32) (param $end i32) (param $keyOrder i32) (result i32)
    (local $at i32) (local $hash i32) (local $c i32) (local $ts i32) (local $limit i32)
    (local $fraction i32) (local $v i32) (local $year i32) (local $month i32) (local $dom i32)
    (local $hour i32) (local $minute i32) (local $second i32) (local $days i32)
    ;; the prefix and at least 64 bytes more, the last one "}"
    (if (i32.lt_s (i32.sub (local.get $end) (local.get $start)) (i32.const 114)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 0x7d)) (then (return (i32.const -1))))
    (if (i32.eqz (call $same (local.get $start) (i32.const 34400) (i32.const 50))) (then (return (i32.const -1))))
    ;; the channel, then the event name, hashed up to their closing quotes
    (local.set $at (i32.add (local.get $start) (i32.const 50)))
    (local.set $hash (i32.const 0x811c9dc5))
    (block $channelEnd
      (loop $channel
        (br_if $channelEnd (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $at)))
        (br_if $channelEnd (i32.eq (local.get $c) (i32.const 0x22)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $c)) (i32.const 16777619)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $channel)))
    (if (i32.gt_u (i32.add (local.get $at) (i32.const 11)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eqz (call $same (local.get $at) (i32.const 34464) (i32.const 11))) (then (return (i32.const -1))))
    (i32.store (i32.const 34304) (local.get $at))
    (local.set $at (i32.add (local.get $at) (i32.const 11)))
    (block $eventEnd
      (loop $event
        (br_if $eventEnd (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $at)))
        (br_if $eventEnd (i32.eq (local.get $c) (i32.const 0x22)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $c)) (i32.const 16777619)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $event)))
    (if (i32.gt_u (i32.add (local.get $at) (i32.const 15)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eqz (call $same (local.get $at) (i32.const 34480) (i32.const 15))) (then (return (i32.const -1))))
    (i32.store (i32.const 34308) (local.get $at))
    (i32.store (i32.const 34312) (local.get $hash))
    ;; YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]Z, a real date and time
    (local.set $ts (i32.add (local.get $at) (i32.const 15)))
    (if (i32.gt_u (i32.add (local.get $ts) (i32.const 37)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.or
          (i32.or
            (i32.or (i32.ne (i32.load8_u (i32.add (local.get $ts) (i32.const 4))) (i32.const 0x2d))
                    (i32.ne (i32.load8_u (i32.add (local.get $ts) (i32.const 7))) (i32.const 0x2d)))
            (i32.or (i32.ne (i32.load8_u (i32.add (local.get $ts) (i32.const 10))) (i32.const 0x54))
                    (i32.ne (i32.load8_u (i32.add (local.get $ts) (i32.const 13))) (i32.const 0x3a))))
          (i32.or (i32.ne (i32.load8_u (i32.add (local.get $ts) (i32.const 16))) (i32.const 0x3a))
                  (i32.ne (i32.load8_u (i32.add (local.get $ts) (i32.const 19))) (i32.const 0x2e))))
      (then (return (i32.const -1))))
    (local.set $year (call $pair (local.get $ts)))
    (local.set $v (call $pair (i32.add (local.get $ts) (i32.const 2))))
    (local.set $month (call $pair (i32.add (local.get $ts) (i32.const 5))))
    (local.set $dom (call $pair (i32.add (local.get $ts) (i32.const 8))))
    (local.set $hour (call $pair (i32.add (local.get $ts) (i32.const 11))))
    (local.set $minute (call $pair (i32.add (local.get $ts) (i32.const 14))))
    (local.set $second (call $pair (i32.add (local.get $ts) (i32.const 17))))
    (if (i32.lt_s
          (i32.or (i32.or (i32.or (local.get $year) (local.get $v)) (i32.or (local.get $month) (local.get $dom)))
                  (i32.or (i32.or (local.get $hour) (local.get $minute)) (local.get $second)))
          (i32.const 0))
      (then (return (i32.const -1))))
    (if (i32.or (i32.gt_u (local.get $hour) (i32.const 23))
                (i32.or (i32.gt_u (local.get $minute) (i32.const 59)) (i32.gt_u (local.get $second) (i32.const 59))))
      (then (return (i32.const -1))))
    (local.set $year (i32.add (i32.mul (local.get $year) (i32.const 100)) (local.get $v)))
    (if (i32.eq (local.get $month) (i32.const 2))
      (then
        (local.set $days (select (i32.const 29) (i32.const 28)
          (i32.or
            (i32.and (i32.eqz (i32.rem_u (local.get $year) (i32.const 4)))
                     (i32.ne (i32.rem_u (local.get $year) (i32.const 100)) (i32.const 0)))
            (i32.eqz (i32.rem_u (local.get $year) (i32.const 400)))))))
      (else
        (if (i32.lt_u (i32.sub (local.get $month) (i32.const 1)) (i32.const 12))
          (then (local.set $days (i32.load8_u (i32.add (i32.const 34511) (local.get $month))))))))
    (if (i32.or (i32.lt_s (local.get $dom) (i32.const 1)) (i32.gt_s (local.get $dom) (local.get $days)))
      (then (return (i32.const -1))))
    ;; the fraction: 3, 6 or 9 digits, then "Z"
    (local.set $at (i32.add (local.get $ts) (i32.const 20)))
    (local.set $limit (select (i32.add (local.get $ts) (i32.const 29)) (local.get $end)
      (i32.lt_u (i32.add (local.get $ts) (i32.const 29)) (local.get $end))))
    (block $fractionEnd
      (loop $digits
        (br_if $fractionEnd (i32.ge_u (local.get $at) (local.get $limit)))
        (local.set $v (i32.sub (i32.load8_u (local.get $at)) (i32.const 0x30)))
        (br_if $fractionEnd (i32.gt_u (local.get $v) (i32.const 9)))
        (local.set $fraction (i32.add (i32.mul (local.get $fraction) (i32.const 10)) (local.get $v)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $digits)))
    (local.set $v (i32.sub (i32.sub (local.get $at) (local.get $ts)) (i32.const 20)))
    (if (i32.eqz (i32.or (i32.or (i32.eq (local.get $v) (i32.const 3)) (i32.eq (local.get $v) (i32.const 6)))
                         (i32.eq (local.get $v) (i32.const 9))))
      (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $at)) (i32.const 0x5a)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.add (local.get $at) (i32.const 14)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eqz (call $same (i32.add (local.get $at) (i32.const 1)) (i32.const 34496) (i32.const 13)))
      (then (return (i32.const -1))))
    (local.set $at (i32.add (local.get $at) (i32.const 13)))
    (if (i32.ne (call $object (local.get $at) (local.get $end) (local.get $keyOrder))
                (i32.sub (local.get $end) (i32.const 1)))
      (then (return (i32.const -1))))
    (i32.store (i32.const 34316)
      (i32.add (i32.add (i32.mul (local.get $year) (i32.const 10000)) (i32.mul (local.get $month) (i32.const 100)))
               (local.get $dom)))
    (i32.store (i32.const 34320)
      (i32.add (i32.mul (i32.add (i32.mul (local.get $hour) (i32.const 60)) (local.get $minute)) (i32.const 60))
               (local.get $second)))
    (i32.store (i32.const 34324) (local.get $fraction))
    (i32.store (i32.const 34328) (local.get $v))
    (i32.store (i32.const 34332) (local.get $at))
    (i32.sub (local.get $end) (i32.const 1)))
)
