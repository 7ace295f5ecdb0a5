Feature: Transmit messages and receive them with a receiver
  socket.transmit(event, data) sends {"event":..., "data":...} without a cid. It is fire-and-forget:
  the other side's socket.receiver(event) loop iterates once with the data, and nothing is ever sent
  back. Both directions work the same way. "No data" (the key is absent) and null stay different.
  The fixture records what the server's receivers got (conformance.received) and can transmit to the
  caller (conformance.transmit).

  Rule: The server delivers transmits to its receivers and transmits to clients

    @server @fixture @v1 @v2 @L1 @EV-002 @S39
    Scenario: A transmitted message reaches the server's receiver with its data
      Given raw connection A has completed the handshake
      When A transmits "customRemoteEvent" with '"This is data"'
      And A transmits "customRemoteEvent" with '123'
      And A invokes "conformance.received" with '{"event":"customRemoteEvent"}'
      Then the invoke of A resolves with '["This is data",123]'

    @server @fixture @v1 @v2 @L1 @EV-002
    Scenario: A transmit is never answered, even for a procedure name
      Given raw connection A has completed the handshake
      When A transmits "customProc" with '{"foo":"bar"}'
      And A transmits "customRemoteEvent" with '1'
      Then A receives no frame matching '"<any>"' within 1000 ms

    @server @fixture @v1 @v2 @L1 @EV-003
    Scenario: The server keeps absent data and null data apart
      Given raw connection A has completed the handshake
      When A transmits "customRemoteEvent" without data
      And A transmits "customRemoteEvent" with 'null'
      And A transmits "customRemoteEvent" with '0'
      And A invokes "conformance.received" with '{"event":"customRemoteEvent","withPresence":true}'
      Then the invoke of A resolves with '[{"data":"<absent>"},{"data":null},{"data":0}]'

    @server @fixture @v1 @v2 @L1 @EV-008
    Scenario: An event with a string cid is a transmit and gets no response
      Given raw connection A has completed the handshake
      When A sends '{"event":"customRemoteEvent","data":"uuid-style","cid":"7f1c"}'
      Then A receives no frame matching '{"rid":"<any>"}' within 1000 ms
      When A invokes "conformance.received" with '{"event":"customRemoteEvent"}'
      Then the invoke of A resolves with '["uuid-style"]'

    @server @fixture @v1 @v2 @L1 @EV-018
    Scenario: Transmits of one socket are handled in the order they were sent
      Given raw connection A has completed the handshake
      When A transmits "customRemoteEvent" with '1'
      And A transmits "customRemoteEvent" with '2'
      And A transmits "customRemoteEvent" with '3'
      And A transmits "customRemoteEvent" with '4'
      And A transmits "customRemoteEvent" with '5'
      And A invokes "conformance.received" with '{"event":"customRemoteEvent"}'
      Then the invoke of A resolves with '[1,2,3,4,5]'

    @server @fixture @v1 @v2 @L1 @EV-001 @EV-014
    Scenario Outline: The server transmits to a client without a cid
      Given raw connection A has completed the handshake
      When A invokes "conformance.transmit" with '<request>'
      Then A receives '<frame>'

      Examples:
        | request                                   | frame                                                        |
        | {"event":"hello","data":"world"}          | {"event":"hello","data":"world","cid":"<absent>"}            |
        | {"event":"hello","data":{"n":[1,null]}}   | {"event":"hello","data":{"n":[1,null]},"cid":"<absent>"}     |
        | {"event":"hello","data":null}             | {"event":"hello","data":null,"cid":"<absent>"}               |
        | {"event":"hello"}                         | {"event":"hello","data":"<absent>","cid":"<absent>"}         |

    @server @fixture @v2 @L1 @EV-017
    Scenario: A legacy #disconnect event is an ordinary transmit in protocol v2
      Given raw connection A has completed the handshake
      When A transmits "#disconnect" with '{"code":4000,"data":"bye"}'
      And A invokes "conformance.received" with '{"event":"#disconnect"}'
      Then the invoke of A resolves with '[{"code":4000,"data":"bye"}]'
      And A stays open for 500 ms

  Rule: Clients transmit without a cid and deliver server transmits to their receivers

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L1 @EV-001 @S39
    Scenario: A client transmit is an event without a cid and reaches the server's receiver
      Given a client C is connected
      When C transmits "customRemoteEvent" with '123'
      Then the known-good server receives from C a frame matching '{"event":"customRemoteEvent","data":123,"cid":"<absent>"}'
      When C invokes "conformance.received" with '{"event":"customRemoteEvent"}'
      Then the invoke of C resolves with '[123]'

    @client @fixture @v1 @v2 @L1 @EV-001 @EV-003
    Scenario: A client transmit without data has no data key, and null stays null
      Given a client C is connected
      When C transmits "customRemoteEvent" without data
      Then the known-good server receives from C a frame matching '{"event":"customRemoteEvent","data":"<absent>"}'
      When C transmits "customRemoteEvent" with 'null'
      Then the known-good server receives from C a frame matching '{"event":"customRemoteEvent","data":null}'
      When C invokes "conformance.received" with '{"event":"customRemoteEvent","withPresence":true}'
      Then the invoke of C resolves with '[{"data":"<absent>"},{"data":null}]'

    @client @fixture @v1 @v2 @L1 @EV-015 @EV-003
    Scenario Outline: A client delivers the server's transmits to its receiver
      Given a client C is connected
      When C invokes "conformance.transmit" with '<request>'
      Then C receives the event "hello" with '<data>'

      Examples:
        | request                                  | data           |
        | {"event":"hello","data":"world"}         | "world"        |
        | {"event":"hello","data":{"n":[1,null]}}  | {"n":[1,null]} |
        | {"event":"hello","data":null}            | null           |

    @client @fixture @v1 @v2 @L1 @EV-015 @EV-003
    Scenario: A client delivers a server transmit without data as no data
      Given a client C is connected
      When C invokes "conformance.transmit" with '{"event":"hello"}'
      Then C receives the event "hello" without data
