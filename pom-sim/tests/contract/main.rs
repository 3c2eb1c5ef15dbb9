//! Contract tests: the typed client against the simulator over real HTTP (REST and SOAP), every
//! documented fault, fault injection, the SOAP request shapes against the WSDLs, file imports,
//! the dialling engine and its feed, and the SFTP → import → dialling path end to end.

mod control;
mod dialing;
mod faults;
mod feed_contract;
mod helpers;
mod imports;
mod pipeline;
mod rest;
mod soap_attributes;
mod soap_callbacks;
mod soap_dnc_lists;
mod soap_jobs;
mod surface;
mod tls;
mod wsdl;
