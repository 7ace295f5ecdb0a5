Feature: Publish to a channel and wait for acknowledgement
  socket.invokePublish(channel, data), or channel.invokePublish(data) on the channel object, sends the
  #publish request with a cid. The server acknowledges with {"rid":N} (no data) and delivers the data to
  every subscriber, including the publisher itself when it is subscribed.

  Rule: The server acknowledges publish requests

    @server @v1 @v2 @L3 @PS-009 @PS-011 @PS-012 @S70 @S77
    Scenario: A publish request is acknowledged without data and delivered
      Given raw connection B has completed the handshake
      And B is subscribed to "foo"
      And raw connection A has completed the handshake
      When A publishes '"This is some more data"' to "foo" with invokePublish
      Then the invokePublish of A resolves without data
      And B receives the publication '"This is some more data"' on "foo"

    @server @v1 @v2 @L3 @PS-012 @S43
    Scenario: A subscribed publisher receives its own publication exactly once
      Given raw connection A has completed the handshake
      And A is subscribed to "own-publication"
      When A publishes '123' to "own-publication" with invokePublish
      Then the invokePublish of A resolves
      And A receives on "own-publication" exactly the publications '[123]'

  Rule: Clients publish with a cid and wait for the acknowledgement

    Background:
      Given the known-good server is running

    @client @v1 @v2 @L3 @PS-008 @PS-020
    Scenario Outline: A client's invokePublish sends #publish with a cid and resolves on the acknowledgement
      Given raw connection P has completed the handshake
      And P is subscribed to "foo"
      And a client C is connected
      When C publishes '"This is some more data"' to "foo" with <method>
      Then the invokePublish of C resolves
      And P receives the publication '"This is some more data"' on "foo"
      And the known-good server receives from C a frame matching '{"event":"#publish","data":{"channel":"foo","data":"This is some more data"},"cid":"<number>"}'

      Examples:
        | method                |
        | invokePublish         |
        | channel.invokePublish |

    @client @v1 @v2 @L3 @PS-017 @PS-020 @S43
    Scenario: A subscribed client receives its own acknowledged publication
      Given a client C is connected
      And C is subscribed to "foo"
      When C publishes '123' to "foo" with invokePublish
      Then the invokePublish of C resolves
      And the connection state of C is open
      And C receives on "foo" exactly the publications '[123]'
