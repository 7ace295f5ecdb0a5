@server @robustness
Feature: Hostile frames
  Frames an attacker or a broken client sends on the wire: invalid UTF-8, fragments, control frames that break
  RFC 6455, oversized and deeply nested messages. Each case states its outcome (a close code, or ignored) and ends
  with the same check: the server still serves a new client and the attacker's neighbour N is unaffected (RB-010).

  Background:
    Given raw connection N has completed the handshake

  Rule: Frame-level protocol violations close only the offending socket

    @v1 @v2 @L1 @RB-010 @RB-012
    Scenario: Invalid UTF-8 in a text frame closes the socket with 1007
      Given raw connection A is open over TCP
      And raw connection A has completed the handshake
      When A sends the wire frame 'text hex:7B226576656E74223A22C3282E78227D'
      Then A is closed with code 1007
      And the server still serves a new client and N is unaffected

    @v1 @v2 @L1 @RB-010 @RB-014
    Scenario Outline: A frame that breaks RFC 6455 closes the socket with 1002 (<case>)
      Given raw connection A is open over TCP
      And raw connection A has completed the handshake
      When A sends the wire frame '<frame>'
      Then A is closed with code 1002
      And the server still serves a new client and N is unaffected

      Examples:
        | case                                | frame                      |
        | ping over 125 bytes                 | ping bytes:126             |
        | pong over 125 bytes                 | pong bytes:4096            |
        | fragmented ping                     | ping nofin bytes:4         |
        | continuation without a first frame  | continuation text:{}       |
        | reserved data opcode 3              | op=3 text:{}               |
        | reserved control opcode 11          | op=11 bytes:0              |
        | RSV1 set without an extension       | text rsv=4 text:{}         |
        | RSV3 set without an extension       | text rsv=1 text:{}         |
        | unmasked client frame               | text unmasked text:{}      |

    @v1 @v2 @L1 @RB-010 @RB-014
    Scenario: A new data frame inside a fragmented message closes the socket with 1002
      Given raw connection A is open over TCP
      And raw connection A has completed the handshake
      When A sends the wire frame 'text nofin text:{"event":"rb.x",'
      And A sends the wire frame 'text text:{}'
      Then A is closed with code 1002
      And the server still serves a new client and N is unaffected

    @v1 @v2 @L1 @RB-010 @RB-014
    Scenario: A close frame with a one-byte payload closes the socket with 1002
      Given raw connection A is open over TCP
      And raw connection A has completed the handshake
      When A sends the wire frame 'close hex:03'
      Then A is closed with code 1002
      And the server still serves a new client and N is unaffected

  Rule: Fragmented messages and control frames between fragments are legal

    @fixture @v1 @v2 @L1 @RB-010 @RB-013
    Scenario Outline: A request split into <n> fragments is answered
      Given raw connection A is open over TCP
      And raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":"fragmented","cid":$cid}' in <n> fragments
      Then A receives '{"rid":"$lastCid","data":"fragmented"}'
      And the server still serves a new client and N is unaffected

      Examples:
        | n  |
        | 2  |
        | 7  |
        | 40 |

    @fixture @v1 @v2 @L1 @RB-010 @RB-013
    Scenario: A WebSocket ping between two fragments is answered and the message still arrives
      Given raw connection A is open over TCP
      And raw connection A has completed the handshake
      When A sends the wire frame 'text nofin text:{"event":"conformance.echo","data":"'
      And A sends the wire frame 'ping bytes:8'
      And A sends the wire frame 'continuation text:around a ping","cid":$cid}'
      Then A receives '{"rid":"$lastCid","data":"around a ping"}'
      And the server still serves a new client and N is unaffected

  Rule: Oversized, deeply nested and extreme messages

    @fixture @capability-maxPayload @v1 @v2 @L1 @RB-010 @RB-011 @exclusive
    Scenario: A message over maxPayload closes the socket with 1009
      Given raw connection A has completed the handshake
      When A sends a message one byte over the reported maxPayload
      Then A is closed with code 1009
      And the server still serves a new client and N is unaffected

    @v1 @v2 @L1 @RB-010 @RB-015 @exclusive
    Scenario Outline: JSON nested <depth> levels deep is ignored (<case>)
      Given raw connection A has completed the handshake
      When A sends '<frame>' nesting '<open>' and '<close>' <depth> levels deep
      Then A receives no frame matching '"<any>"' within 500 ms
      And A stays open for 500 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | case                       | frame                                  | open   | close | depth  |
        | arrays, a raw message      | $open$close                            | [      | ]     | 100000 |
        | objects, a raw message     | $open1$close                           | {"a":  | }     | 100000 |
        | unbalanced arrays          | $open                                  | [      | ]     | 200000 |
        | inside a transmit's data   | {"event":"rb.deep","data":$open$close} | [      | ]     | 100000 |

    @fixture @v1 @v2 @L1 @RB-010 @RB-016
    Scenario Outline: A request with an extreme number is answered and the socket stays open (<case>)
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":<number>,"cid":$cid}'
      Then A receives '{"rid":"$lastCid"}'
      And A stays open for 300 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | case                      | number                       |
        | beyond double range       | 1e400                        |
        | below double range        | -1e400                       |
        | 2^64 as an integer        | 18446744073709551616         |
        | 40 significant digits     | 1234567890123456789012345678901234567890 |
        | tiny exponent             | 5e-400                       |

    @fixture @v1 @v2 @L1 @RB-010 @RB-017 @exclusive
    Scenario: A very long string under maxPayload is echoed intact
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":"$big","cid":$cid}' where $big is "x" repeated 500000 times
      Then the response of A carries a string of 500000 characters
      And the server still serves a new client and N is unaffected

    @fixture @v1 @v2 @L1 @RB-010 @RB-017 @exclusive
    Scenario: A string of 100 000 escaped characters is echoed intact
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":"$big","cid":$cid}' where $big is "\u00e9" repeated 100000 times
      Then the response of A carries a string of 100000 characters
      And the server still serves a new client and N is unaffected

    @fixture @v1 @v2 @L1 @RB-010 @RB-019
    Scenario Outline: A string with <case> is echoed unchanged
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":<data>,"cid":$cid}'
      Then A receives '{"rid":"$lastCid","data":<data>}'
      And the server still serves a new client and N is unaffected

      Examples:
        | case                       | data                    |
        | a lone high surrogate      | "a\ud800b"              |
        | a lone low surrogate       | "\udc00"                |
        | a reversed surrogate pair  | "\ude00\ud83d"          |
        | a NUL character            | "x\u0000y"              |
        | the object key __proto__   | {"__proto__":{"a":1}}   |

  Rule: Binary frames before the handshake

    @v1 @v2 @L1 @RB-010 @RB-018 @HS-006
    Scenario Outline: A binary frame before #handshake closes the socket with 4009 (<case>)
      Given raw connection A is open
      When A sends the binary frame '<frame>'
      Then A is closed with code 4009
      And the server still serves a new client and N is unaffected

      Examples:
        | case             | frame                                                   |
        | garbage          | garbage                                                 |
        | a valid request  | {"event":"conformance.echo","data":1,"cid":1}           |
