Feature: Invoke procedures and answer them
  socket.invoke(procedure, data) sends {"event":..., "data":..., "cid":N} and waits for the response
  {"rid":N, "data":...} or {"rid":N, "error":{...}}. The other side answers through
  socket.procedure(name) with request.end(data) or request.error(error). The seed's customProc answers
  'Success', or the error BadCustomError "Server failed to execute the procedure" when data.bad is set.
  Servers invoke clients the same way (the fixture's conformance.invoke does it on request).

  Rule: The server answers requests

    @server @fixture @v1 @v2 @L1 @EV-005 @S38 @S66
    Scenario: customProc answers Success
      Given raw connection A has completed the handshake
      When A invokes "customProc" with '{"foo":"bar"}'
      Then A receives '{"rid":"$lastCid","data":"Success","error":"<absent>"}'

    @server @fixture @v1 @v2 @L1 @EV-006 @S38 @S67
    Scenario: customProc answers BadCustomError for bad data, without a stack
      Given raw connection A has completed the handshake
      When A invokes "customProc" with '{"bad":true}'
      Then A receives exactly '{"rid":"$lastCid","error":{"name":"BadCustomError","message":"Server failed to execute the procedure"}}'

    @server @fixture @v1 @v2 @L1 @EV-005 @TR-007
    Scenario Outline: The server answers with exactly the data the procedure gave
      Given raw connection A has completed the handshake
      When A invokes "conformance.echo" with '<data>'
      Then the invoke of A resolves with '<data>'

      Examples:
        | data                                                                  |
        | {"a":[1,2]}                                                           |
        | "héllo ☃ 😀 \u0022quoted\u0022"                                       |
        | -1.5e3                                                                |
        | 0.1                                                                   |
        | [null,true,false,{},[],""]                                            |
        | {"deep":{"deeper":{"deepest":[{"k":"v"}]}}}                           |
        | null                                                                  |

    @server @fixture @v1 @v2 @L1 @EV-005 @EV-003
    Scenario: A response without data has no data key, and a null response keeps it
      Given raw connection A has completed the handshake
      When A invokes "conformance.echo" without data
      Then the invoke of A resolves without data
      When A invokes "conformance.echo" with 'null'
      Then A receives '{"rid":"$lastCid","data":null}'

    @server @fixture @v1 @v2 @L1 @EV-005
    Scenario: Any positive integer cid is echoed as the rid
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":"big","cid":987654321}'
      Then A receives '{"rid":987654321,"data":"big"}'

    @server @fixture @v1 @v2 @L1 @TR-005
    Scenario: A request in a binary frame is answered like a text frame
      Given raw connection A has completed the handshake
      When A sends the binary frame '{"event":"conformance.echo","data":"binary","cid":$cid}'
      Then the request of A resolves with '"binary"'

    @server @fixture @v1 @v2 @L1 @TR-006
    Scenario: Leading whitespace before a JSON frame is allowed
      Given raw connection A has completed the handshake
      When A sends '   {"event":"conformance.echo","data":"spaced","cid":$cid}'
      Then the request of A resolves with '"spaced"'

    @server @fixture @v1 @v2 @L1 @EV-009
    Scenario: Responses the server is not waiting for are ignored
      Given raw connection A has completed the handshake
      When A sends '{"rid":999999,"data":"stray"}'
      And A sends '{"rid":"1","data":"string rid"}'
      And A sends '{"rid":1,"error":{"name":"StrayError","message":"nobody asked"}}'
      Then A receives no frame matching '"<any>"' within 500 ms
      When A invokes "conformance.echo" with '"alive"'
      Then the invoke of A resolves with '"alive"'

    @server @fixture @v1 @v2 @L1 @EV-010
    Scenario: A request for a procedure nobody handles gets no response
      Given raw connection A has completed the handshake
      When A invokes "conformance.doesNotExist" with '{}'
      Then the invoke of A gets no response within 1000 ms
      And A stays open for 500 ms

  Rule: The server invokes client procedures

    @server @fixture @v1 @v2 @L1 @EV-012 @EV-004
    Scenario Outline: The server invokes a client and relays its answer
      Given raw connection A has completed the handshake
      When A invokes "conformance.invoke" with '{"procedure":"clientProc","data":5}'
      Then A receives '{"event":"clientProc","data":5,"cid":"<number>"}'
      When A sends '<answer>'
      Then the invoke of A resolves with '<outcome>'

      Examples:
        | answer                                                                | outcome                                                   |
        | {"rid":$receivedCid,"data":10}                                        | {"data":10}                                               |
        | {"rid":$receivedCid}                                                  | {"data":"<absent>","error":"<absent>"}                    |
        | {"rid":$receivedCid,"error":{"name":"ClientProcError","message":"no"}} | {"error":{"name":"ClientProcError","message":"no"}}       |
        | {"rid":$receivedCid,"error":"plain string error"}                     | {"error":"plain string error"}                            |

    @server @fixture @v1 @v2 @L1 @EV-013 @not-v14
    Scenario: A server invoke that the client never answers fails with TimeoutError
      Given raw connection A has completed the handshake
      When A invokes "conformance.invoke" with '{"procedure":"clientProc","data":5,"ackTimeout":500}'
      Then A receives '{"event":"clientProc","cid":"<number>"}'
      And the invoke of A resolves with '{"error":{"name":"TimeoutError","message":"Event response for clientProc event timed out"}}'

  Rule: Clients invoke procedures and answer the server's invokes

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L1 @EV-004 @EV-007 @S38 @S66
    Scenario: A client invokes customProc and gets Success
      Given a client C is connected
      When C invokes "customProc" with '{"foo":"bar"}'
      Then the invoke of C resolves with '"Success"'
      And the known-good server receives from C a frame matching '{"event":"customProc","data":{"foo":"bar"},"cid":"<number>"}'

    @client @fixture @v1 @v2 @L1 @EV-007 @S38 @S67
    Scenario: A client invoke rejects with the server's BadCustomError
      Given a client C is connected
      When C invokes "customProc" with '{"bad":true}'
      Then the invoke of C fails with "BadCustomError" saying "Server failed to execute the procedure"

    @client @fixture @v1 @v2 @L1 @EV-007 @TR-007 @EV-003
    Scenario: A client gets back exactly the data it sent, absent and null included
      Given a client C is connected
      When C invokes "conformance.echo" with '{"s":"héllo ☃ 😀","n":-1.5e3,"f":0.1,"a":[null,true,{},[],""]}'
      Then the invoke of C resolves with '{"s":"héllo ☃ 😀","n":-1500,"f":0.1,"a":[null,true,{},[],""]}'
      When C invokes "conformance.echo" with 'null'
      Then the invoke of C resolves with 'null'
      When C invokes "conformance.echo" without data
      Then the invoke of C resolves without data

    @client @fixture @v1 @v2 @L1 @EV-011 @C22 @not-v14-client
    Scenario: An invoke nobody answers fails with TimeoutError after the ack timeout
      Given a client C is connected with options '{"ackTimeout":1000}'
      When C invokes "conformance.doesNotExist" with '{}'
      Then the invoke of C fails with "TimeoutError" saying "Event response for conformance.doesNotExist event timed out"
      When C disconnects
      Then C emits close with '{"code":1000}'

    @client @fixture @v1 @v2 @L1 @EV-016 @EV-005 @EV-006
    Scenario Outline: A client answers the server's invokes through its procedures
      Given a client C is connected
      And C <answers>
      When C invokes "conformance.invoke" with '{"procedure":"clientProc","data":5}'
      Then the invoke of C resolves with '<outcome>'

      Examples:
        | answers                                                                  | outcome                                             |
        | answers procedure "clientProc" by echoing                                | {"data":5}                                          |
        | answers procedure "clientProc" with '"done"'                             | {"data":"done"}                                     |
        | answers procedure "clientProc" with the error "ClientProcError" saying "no" | {"error":{"name":"ClientProcError","message":"no"}} |

    @client @fixture @v1 @v2 @L1 @EV-019 @C30
    Scenario: Pending invokes fail with BadConnectionError when the client disconnects
      Given a client C is connected
      When C invokes "conformance.doesNotExist" with '{}'
      And C subscribes to "c30"
      And C disconnects
      Then the invoke of C fails with an error like '{"name":"BadConnectionError","type":"disconnect"}'
      And C does not emit subscribeFail within 500 ms
