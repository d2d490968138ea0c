//! The translation catalogues are compiled into the binary (`fluent_templates::static_loader!`);
//! rebuild when one is added or changed.
fn main() {
    println!("cargo:rerun-if-changed=assets/locales");
}
