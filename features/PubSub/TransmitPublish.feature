Feature: Publish to a channel without waiting for acknowledgement
  socket.transmitPublish(channel, data), or channel.transmitPublish(data) on the channel object, sends
  {"event":"#publish","data":{"channel":...,"data":...}} without a cid. The server answers nothing and
  delivers the data to every subscriber of the channel as a #publish transmit. The publisher does not
  need to be subscribed.

  Rule: The server delivers client publications to every subscriber

    @server @v1 @v2 @L3 @PS-009 @PS-011 @PS-012 @S48
    Scenario: A publication reaches a subscriber and the publisher gets no reply
      Given raw connection B has completed the handshake
      And B is subscribed to "foo"
      And raw connection A has completed the handshake
      When A publishes '"This is some data"' to "foo" with transmitPublish
      Then B receives '{"event":"#publish","data":{"channel":"foo","data":"This is some data"},"cid":"<absent>"}'
      And A receives no frame matching '"<any>"' within 500 ms

    @server @v1 @v2 @L3 @PS-011 @EV-003
    Scenario Outline: Publication data is delivered unchanged, absent data included
      Given raw connection B has completed the handshake
      And B is subscribed to "foo"
      And raw connection A has completed the handshake
      When A sends '<publish>'
      Then B receives '<delivery>'

      Examples:
        | publish                                                      | delivery                                                             |
        | {"event":"#publish","data":{"channel":"foo","data":{"a":[1]}}} | {"event":"#publish","data":{"channel":"foo","data":{"a":[1]}}}     |
        | {"event":"#publish","data":{"channel":"foo","data":null}}    | {"event":"#publish","data":{"channel":"foo","data":null}}            |
        | {"event":"#publish","data":{"channel":"foo"}}                | {"event":"#publish","data":{"channel":"foo","data":"<absent>"}}      |

    @server @v1 @v2 @L3 @PS-013 @S72
    Scenario: Publications from one publisher arrive in the order they were published
      Given raw connection B has completed the handshake
      And B is subscribed to "bar"
      And raw connection A has completed the handshake
      When A publishes 50 numbered messages "hello" to "bar" with transmitPublish
      Then B receives on "bar" exactly 50 numbered publications "hello"

    @server @v1 @v2 @L3 @PS-014 @S44 @S55 @S76
    Scenario: A publish sent right after a subscribe on the same socket reaches that socket
      Given raw connection A has completed the handshake
      When A subscribes to "self"
      And A publishes '"bar"' to "self" with transmitPublish
      Then A receives the publication '"bar"' on "self"

  Rule: Clients publish without a cid, from the socket or the channel object

    Background:
      Given the known-good server is running

    @client @v1 @v2 @L3 @PS-008 @PS-020
    Scenario Outline: A client's transmitPublish sends #publish without a cid and reaches subscribers
      Given raw connection P has completed the handshake
      And P is subscribed to "foo"
      And a client C is connected
      When C publishes '"This is some data"' to "foo" with <method>
      Then P receives the publication '"This is some data"' on "foo"
      And the known-good server receives from C a frame matching '{"event":"#publish","data":{"channel":"foo","data":"This is some data"},"cid":"<absent>"}'

      Examples:
        | method                  |
        | transmitPublish         |
        | channel.transmitPublish |

    @client @v1 @v2 @L3 @PS-017 @C23
    Scenario: A subscriber receives another client's publications in order
      Given a client C is connected
      And C is subscribed to "foo"
      And raw connection P has completed the handshake
      When P publishes '"hello"' to "foo" with transmitPublish
      And P publishes '"world"' to "foo" with transmitPublish
      And P publishes '{"abc":123}' to "foo" with transmitPublish
      Then C receives on "foo" exactly the publications '["hello","world",{"abc":123}]'

    @client @v1 @v2 @L3 @PS-017 @C24
    Scenario: A subscriber receives awaited publications in order
      Given a client C is connected
      And C is subscribed to "bar"
      And raw connection P has completed the handshake
      When P publishes '"hi"' to "bar" with invokePublish
      Then the invokePublish of P resolves
      When P publishes '"world"' to "bar" with invokePublish
      Then the invokePublish of P resolves
      When P publishes '{"def":123}' to "bar" with invokePublish
      Then the invokePublish of P resolves
      And C receives on "bar" exactly the publications '["hi","world",{"def":123}]'

    @client @v1 @v2 @L3 @PS-017 @PS-020 @C39
    Scenario: Fifty publications arrive in order
      Given a client C is connected
      And C is subscribed to "bar"
      When C publishes 50 numbered messages "hello" to "bar" with transmitPublish
      Then C receives on "bar" exactly 50 numbered publications "hello"
